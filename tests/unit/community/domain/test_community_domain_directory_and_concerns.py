"""Directory entries (HSDS-shaped) and concern reports: validation and event content."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from community.domain.concerns import ConcernIn, concern_reported, may_read
from community.domain.resources import ResourceIn, published
from kasane.web.etag import etag, matches


def resource(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organization": {"name": "NPO法人 こども食堂ネット", "phone": "0942-00-0000"},
        "service": {"name": "みんなの食堂", "category": "kodomo_shokudo"},
        "location": {"address": "久留米市○○町1-1", "school_district_code": "03"},
        "schedules": [
            {"freq": "WEEKLY", "byday": "TU,FR", "opens_at": "17:00", "closes_at": "19:30"}
        ],
        "eligibility": {"age_min": 0, "age_max": 18},
        "capacity": 40,
    }
    return body | changes


def test_resource_event_carries_codes_and_counts_only() -> None:
    data = ResourceIn.model_validate(resource())
    rid = uuid.uuid4()
    event = published(rid, 3, data).model_dump(mode="json")
    assert event == {
        "resource_id": str(rid),
        "version": 3,
        "category": "kodomo_shokudo",
        "school_district_code": "03",
        "program_code": None,
        "capacity": 40,
        "age_min": 0,
        "age_max": 18,
    }


def _error_fields(body: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as error:
        ResourceIn.model_validate(body)
    return [e["loc"] for e in error.value.errors()]


def test_age_range_must_be_ordered() -> None:
    assert _error_fields(resource(eligibility={"age_min": 20, "age_max": 10})) == [("eligibility",)]


def test_schedule_needs_real_days_and_hours() -> None:
    bad_day = {"freq": "WEEKLY", "byday": "Tuesday", "opens_at": "10:00", "closes_at": "11:00"}
    backwards = {"freq": "MONTHLY", "byday": "2WE", "opens_at": "12:00", "closes_at": "10:00"}
    assert _error_fields(resource(schedules=[bad_day])) == [("schedules", 0, "byday")]
    assert _error_fields(resource(schedules=[backwards])) == [("schedules", 0)]
    ok = {"freq": "MONTHLY", "byday": "1MO,-1FR", "opens_at": "10:00", "closes_at": "11:00"}
    assert ResourceIn.model_validate(resource(schedules=[ok])).schedules[0].byday == "1MO,-1FR"


def test_category_and_program_come_from_the_reference_lists() -> None:
    assert _error_fields(resource(service={"name": "x", "category": "bar"})) == [
        ("service", "category")
    ]
    assert _error_fields(
        resource(service={"name": "x", "category": "salon", "program_code": "x"})
    ) == [("service", "program_code")]


def concern(**changes: Any) -> dict[str, Any]:
    body = {
        "school_district_code": "05",
        "reporter_type": "minsei_iin",
        "noticed": "最近姿を見ない",
        "location": "○○団地3号棟",
    }
    return body | changes


def test_concern_event_has_no_free_text() -> None:
    data = ConcernIn.model_validate(concern(issue_codes=["isolation"]))
    cid = uuid.uuid4()
    event = concern_reported(cid, data, date(2025, 6, 1)).model_dump(mode="json")
    assert event == {
        "concern_id": str(cid),
        "school_district_code": "05",
        "reporter_type": "minsei_iin",
        "urgency": "normal",
        "issue_codes": ["isolation"],
        "reported_on": "2025-06-01",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"issue_codes": ["isolation", "isolation"]}, "issue_codes"),
        ({"location": ""}, "location"),
        ({"urgency": "now"}, "urgency"),
        ({"reported_on": "2999-01-01"}, "reported_on"),
    ],
)
def test_bad_concerns_name_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        ConcernIn.model_validate(concern(**change))
    assert error.value.errors()[0]["loc"] == (field,)


def test_concern_details_are_for_the_operator_and_the_queueing_agency() -> None:
    assert may_read("shakyo", "shakyo", set())
    assert may_read("houkatsu-02", "shakyo", {"houkatsu-02"})
    assert not may_read("houkatsu-03", "shakyo", {"houkatsu-02"})


def test_etags() -> None:
    assert etag(3) == '"3"'
    assert matches('"3"', 3) and matches('W/"3"', 3) and matches("*", 9)
    assert matches('"1", "3"', 3)
    assert not matches('"2"', 3)
