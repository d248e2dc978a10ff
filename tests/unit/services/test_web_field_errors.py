"""kasane.web.errors: 422 bodies name the field path (without the transport) and reason."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from kasane.web.errors import field_errors, install_error_handlers


def _error(*loc: Any, msg: str = "Field required") -> dict[str, Any]:
    kind = "missing" if msg == "Field required" else "value_error"
    return {"type": kind, "loc": loc, "msg": msg, "input": None}


def test_body_prefix_is_dropped() -> None:
    exc = RequestValidationError([_error("body", "age_band", msg="bad band")])
    assert field_errors(exc) == [{"field": "age_band", "reason": "bad band"}]


def test_query_prefix_is_dropped() -> None:
    exc = RequestValidationError([_error("query", "fiscal_year")])
    assert field_errors(exc) == [
        {"field": "fiscal_year", "reason": "必須項目です / Field required"}
    ]


def test_nested_paths_are_joined_with_dots() -> None:
    exc = RequestValidationError(
        [
            _error("body", "issue_codes", 2, msg="unknown code"),
            _error("body", "consent", "scope", "agencies", 0),
        ]
    )
    assert [e["field"] for e in field_errors(exc)] == [
        "issue_codes.2",
        "consent.scope.agencies.0",
    ]


def test_every_error_is_reported_in_order() -> None:
    exc = RequestValidationError([_error("body", f"f{i}", msg=f"reason {i}") for i in range(5)])
    assert field_errors(exc) == [{"field": f"f{i}", "reason": f"reason {i}"} for i in range(5)]


def test_whole_body_error_is_reported_as_body() -> None:
    exc = RequestValidationError([_error("body", msg="JSON decode error")])
    assert field_errors(exc) == [{"field": "body", "reason": "JSON decode error"}]


def test_only_the_leading_transport_part_is_dropped() -> None:
    exc = RequestValidationError(
        [_error("body", "filters", "query"), _error("body", "path"), _error("query", "body")]
    )
    assert [e["field"] for e in field_errors(exc)] == ["filters.query", "path", "body"]


class _Scope(BaseModel):
    agencies: list[int]


class _Body(BaseModel):
    age_band: str
    scope: _Scope


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/things")
    def create(body: _Body, limit: int = 10) -> dict[str, int]:
        return {"limit": limit}

    return app


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://t")


async def test_fastapi_422_names_fields_and_reasons() -> None:
    async with _client() as client:
        response = await client.post(
            "/things", params={"limit": "many"}, json={"scope": {"agencies": [1, "x"]}}
        )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    fields = {e["field"]: e["reason"] for e in body["errors"]}
    assert set(fields) == {"limit", "age_band", "scope.agencies.1"}
    assert all(reason for reason in fields.values())


async def test_fastapi_valid_request_passes() -> None:
    async with _client() as client:
        response = await client.post(
            "/things",
            params={"limit": "3"},
            json={"age_band": "40-49", "scope": {"agencies": [1]}},
        )
    assert response.status_code == 200
    assert response.json() == {"limit": 3}
