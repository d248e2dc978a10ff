"""intake.domain: what a valid consultation is, and the event it implies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from itertools import combinations
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from intake.domain.consultations import ConsultationIn, consultation_received
from kasane.events.intake import ConsultationReceived
from kasane.ids import uuid7
from kasane.reference import codes, domains_of, is_complex, issue_codes, school_districts

JST = timezone(timedelta(hours=9))


def _body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "received_at": "2026-06-02T10:00:00+09:00",
        "issue_codes": ["elderly_care", "hikikomori"],
        "age_band": "80-89",
        "school_district_code": school_districts()[0].code,
        "channel": "in_person",
    }
    body.update(overrides)
    return body


def _errors(**overrides: Any) -> list[ErrorDetails]:
    with pytest.raises(ValidationError) as info:
        ConsultationIn.model_validate(_body(**overrides))
    return info.value.errors()


def _fields(errors: list[ErrorDetails]) -> set[Any]:
    return {e["loc"][0] for e in errors}


def test_valid_body_is_accepted() -> None:
    data = ConsultationIn.model_validate(_body())
    assert data.received_at == datetime(2026, 6, 2, 1, 0, tzinfo=UTC)
    assert data.issue_codes == ["elderly_care", "hikikomori"]


def test_naive_received_at_is_japan_time() -> None:
    data = ConsultationIn.model_validate(_body(received_at="2026-06-02T10:00:00"))
    assert data.received_at.utcoffset() == timedelta(hours=9)
    assert data.received_at == datetime(2026, 6, 2, 10, 0, tzinfo=JST)
    assert data.received_at == datetime(2026, 6, 2, 1, 0, tzinfo=UTC)


def test_naive_japan_wall_clock_now_is_not_in_the_future() -> None:
    # Read as UTC, Japan's "now" would be nine hours ahead and refused.
    now_in_japan = datetime.now(JST).replace(tzinfo=None)
    data = ConsultationIn.model_validate(_body(received_at=now_in_japan.isoformat()))
    assert abs(data.received_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_aware_received_at_keeps_its_offset() -> None:
    data = ConsultationIn.model_validate(_body(received_at="2026-06-02T01:00:00+00:00"))
    assert data.received_at == datetime(2026, 6, 2, 10, 0, tzinfo=JST)


@pytest.mark.parametrize("ahead", [timedelta(minutes=5), timedelta(minutes=9)])
def test_small_clock_skew_is_tolerated(ahead: timedelta) -> None:
    at = datetime.now(UTC) + ahead
    assert ConsultationIn.model_validate(_body(received_at=at.isoformat())).received_at == at


@pytest.mark.parametrize("ahead", [timedelta(minutes=11), timedelta(hours=2), timedelta(days=3)])
def test_received_at_in_the_future_is_refused(ahead: timedelta) -> None:
    at = datetime.now(UTC) + ahead
    assert _fields(_errors(received_at=at.isoformat())) == {"received_at"}


def test_naive_future_japan_time_is_refused() -> None:
    future = (datetime.now(JST) + timedelta(minutes=30)).replace(tzinfo=None)
    assert _fields(_errors(received_at=future.isoformat())) == {"received_at"}


def test_unknown_issue_code_is_refused_and_named() -> None:
    errors = _errors(issue_codes=["elderly_care", "no_such_issue"])
    assert _fields(errors) == {"issue_codes"}
    assert "no_such_issue" in errors[0]["msg"]


def test_duplicate_issue_codes_are_refused() -> None:
    errors = _errors(issue_codes=["poverty", "debt", "poverty"])
    assert _fields(errors) == {"issue_codes"}
    assert "duplicate" in errors[0]["msg"]


def test_issue_codes_must_not_be_empty() -> None:
    assert _fields(_errors(issue_codes=[])) == {"issue_codes"}


def test_every_issue_code_at_once_is_accepted() -> None:
    every = [c.code for c in issue_codes()]
    assert ConsultationIn.model_validate(_body(issue_codes=every)).issue_codes == every


@pytest.mark.parametrize("band", codes("age_bands"))
def test_every_age_band_is_accepted(band: str) -> None:
    assert ConsultationIn.model_validate(_body(age_band=band)).age_band == band


@pytest.mark.parametrize("band", ["85", "80-90", "90-99", "100+", "", "80〜89"])
def test_other_age_bands_are_refused(band: str) -> None:
    assert _fields(_errors(age_band=band)) == {"age_band"}


def test_known_school_districts_are_accepted() -> None:
    for district in school_districts():
        data = ConsultationIn.model_validate(_body(school_district_code=district.code))
        assert data.school_district_code == district.code


@pytest.mark.parametrize("code", ["00", "999", "1", "", "ab"])
def test_unknown_school_district_is_refused(code: str) -> None:
    known = {d.code for d in school_districts()}
    assert code not in known
    assert _fields(_errors(school_district_code=code)) == {"school_district_code"}


@pytest.mark.parametrize("channel", codes("channels"))
def test_every_channel_is_accepted(channel: str) -> None:
    assert ConsultationIn.model_validate(_body(channel=channel)).channel == channel


@pytest.mark.parametrize("channel", ["fax", "PHONE", ""])
def test_unknown_channel_is_refused(channel: str) -> None:
    assert _fields(_errors(channel=channel)) == {"channel"}


@pytest.mark.parametrize("extra", ["name", "agency_id", "note", "is_complex"])
def test_extra_fields_are_refused(extra: str) -> None:
    assert _fields(_errors(**{extra: "x"})) == {extra}


@pytest.mark.parametrize(
    "missing", ["received_at", "issue_codes", "age_band", "school_district_code", "channel"]
)
def test_every_field_is_required(missing: str) -> None:
    body = _body()
    del body[missing]
    with pytest.raises(ValidationError) as info:
        ConsultationIn.model_validate(body)
    assert {e["loc"][0] for e in info.value.errors()} == {missing}


def test_all_errors_are_reported_together() -> None:
    errors = _errors(age_band="x", channel="fax", issue_codes=["nope"])
    assert _fields(errors) == {"age_band", "channel", "issue_codes"}


def _code_sets() -> list[list[str]]:
    every = [c.code for c in issue_codes()]
    return [[c] for c in every] + [list(pair) for pair in combinations(every, 2)]


def test_event_carries_the_consultation() -> None:
    consultation_id = uuid7()
    data = ConsultationIn.model_validate(_body(received_at="2026-06-02T10:00:00"))
    event = consultation_received(consultation_id, "jiritsu", data)
    assert isinstance(event, ConsultationReceived)
    assert event.consultation_id == consultation_id
    assert event.case_id is None
    assert event.agency_id == "jiritsu"
    assert event.received_at == data.received_at
    assert event.received_at.utcoffset() == timedelta(hours=9)
    assert (event.channel, event.age_band, event.school_district_code) == (
        data.channel,
        data.age_band,
        data.school_district_code,
    )
    assert event.issue_codes == data.issue_codes
    assert event.partition_key() == str(consultation_id)


@pytest.mark.parametrize("code_set", _code_sets(), ids="+".join)
def test_event_is_complex_follows_the_reference_rule(code_set: list[str]) -> None:
    data = ConsultationIn.model_validate(_body(issue_codes=code_set))
    event = consultation_received(uuid7(), "jiritsu", data)
    assert event.is_complex == is_complex(code_set)
    assert event.is_complex == (len(domains_of(code_set)) >= 2)


def test_complexity_examples() -> None:
    # Sanity anchors for the rule (docs/architecture/domain-rules.md): one domain vs two or more.
    def flag(*issue: str) -> bool:
        data = ConsultationIn.model_validate(_body(issue_codes=list(issue)))
        return consultation_received(uuid7(), "jiritsu", data).is_complex

    assert not flag("elderly_care")
    assert flag("elderly_care", "disability")
    assert flag("8050")
    assert not flag("other")
