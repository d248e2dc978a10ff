"""kasane.types and the 422/OpenAPI machinery around them (pure, no I/O)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI, Header
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from kasane.types import (
    INT4_MAX,
    INT8_MAX,
    Count,
    IsoDate,
    IsoDatetime,
    Line,
    Number,
    Offset,
    Seq,
    Text,
)
from kasane.web.errors import allowed_methods, field_errors
from kasane.web.openapi import document_errors, error_statuses


class Sample(BaseModel):
    offset: Offset = 0
    seq: Seq = 0
    count: Count = 0
    name: Line = Field(default="x", max_length=10)
    note: Text | None = Field(default=None, max_length=20)
    day: IsoDate | None = None
    at: IsoDatetime | None = None


def reasons(**fields: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(fields)
    errors = RequestValidationError(caught.value.errors())
    return {e["field"]: e["reason"] for e in field_errors(errors)}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("offset", 2**63),
        ("offset", -1),
        ("seq", INT8_MAX + 1),
        ("count", INT4_MAX + 1),
        ("count", 3_000_000_000),
    ],
)
def test_integers_outside_the_database_range_are_refused(field: str, value: int) -> None:
    assert field in reasons(**{field: value})


def test_integers_at_the_limits_are_accepted() -> None:
    sample = Sample(seq=INT8_MAX, count=INT4_MAX, offset=1_000_000)
    assert (sample.seq, sample.count) == (INT8_MAX, INT4_MAX)


@pytest.mark.parametrize("bad", ["a\u0000b", "a\x07", "a\x1b[31m", "a\x7f", "\ud800"])
def test_control_and_surrogate_characters_are_refused_in_text(bad: str) -> None:
    found = reasons(note=bad, name=bad)
    assert set(found) == {"note", "name"}
    assert " / " in found["note"]  # 日本語 / English


def test_text_keeps_line_breaks_and_a_line_does_not() -> None:
    assert Sample(note="一行目\n二行目\tタブ").note == "一行目\n二行目\tタブ"
    assert "name" in reasons(name="一行目\n二行目")


def test_the_fields_own_length_limit_applies() -> None:
    assert "note" in reasons(note="あ" * 21)
    assert Sample(note="あ" * 20).note == "あ" * 20


@pytest.mark.parametrize("value", [0, 1700000000, "0", "1700000000", "2025/06/01", 20250601])
def test_numbers_are_not_dates(value: Any) -> None:
    assert "day" in reasons(day=value)


@pytest.mark.parametrize("value", [0, 1700000000.5, "0", "1700000000", "2025-06-01"])
def test_numbers_are_not_datetimes(value: Any) -> None:
    assert "at" in reasons(at=value)


def test_iso_dates_and_datetimes_are_accepted() -> None:
    sample = Sample.model_validate_json('{"day": "2025-06-01", "at": "2025-06-01T10:00:00+09:00"}')
    assert sample.day == date(2025, 6, 1)
    assert sample.at is not None and sample.at.hour == 10


@pytest.mark.parametrize("value", ["1899-12-31", "2101-01-01", "9999-12-31"])
def test_dates_outside_1900_to_2100_are_refused(value: str) -> None:
    assert "day" in reasons(day=value)


def test_pydantic_reasons_are_given_in_japanese_and_english() -> None:
    found = reasons(offset=-1, count="many")
    assert found["offset"].startswith("0 以上で指定してください / ")
    assert found["count"].startswith("整数で指定してください / ")


def test_error_statuses_follow_what_the_operation_declares() -> None:
    assert error_statuses("get", "/cases", {}) == ["401", "403", "422", "503"]
    assert error_statuses("get", "/cases/{case_id}", {}) == ["401", "403", "404", "422", "503"]
    post = error_statuses("post", "/cases", {"requestBody": {}})
    assert post == ["400", "401", "403", "404", "409", "422", "503"]
    versioned = {"parameters": [{"in": "header", "name": "if-match"}], "requestBody": {}}
    assert {"412", "428"} <= set(error_statuses("patch", "/targets/{id}", versioned))
    assert "412" not in error_statuses("post", "/cases", {"requestBody": {}})


def test_document_errors_attaches_one_error_schema_to_every_operation() -> None:
    app = FastAPI()

    @app.get("/things/{thing_id}")
    async def read(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @app.patch("/things/{thing_id}")
    async def change(thing_id: int, if_match: str = Header()) -> dict[str, int]:
        return {"id": thing_id}

    document = document_errors(app.openapi())
    ref = {"$ref": "#/components/schemas/Error"}
    read_responses = document["paths"]["/things/{thing_id}"]["get"]["responses"]
    assert read_responses["404"]["content"]["application/json"]["schema"] == ref
    assert read_responses["422"]["content"]["application/json"]["schema"] == ref
    change_responses = document["paths"]["/things/{thing_id}"]["patch"]["responses"]
    assert {"409", "412", "428"} <= set(change_responses)
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_allowed_methods_lists_every_route_at_the_path() -> None:
    paths: dict[str, dict[str, Any]] = {
        "/concerns": {"get": {}, "post": {}},
        "/concerns/{concern_id}": {"get": {}},
        "/concerns/{concern_id}/close": {"post": {}},
    }
    assert allowed_methods(paths, "/concerns") == {"GET", "POST"}
    assert allowed_methods(paths, "/concerns/123") == {"GET"}
    assert allowed_methods(paths, "/concerns/123/close") == {"POST"}


class Amount(BaseModel):
    target: Number = Field(ge=0)
    count: Count = 0


@pytest.mark.parametrize("body", [{"target": False}, {"target": 1, "count": True}])
def test_a_boolean_is_not_a_number(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Amount.model_validate(body)


def test_integer_limits_stay_in_the_published_schema() -> None:
    schema = Sample.model_json_schema()["properties"]
    assert (schema["offset"]["minimum"], schema["offset"]["maximum"]) == (0, 1_000_000)
    assert schema["count"]["maximum"] == INT4_MAX
