"""intake.domain: the rules the use cases check, refusing with kasane.errors (no HTTP), and
what a consultation implies for its case (classification, escalation)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from intake.domain.cases import CASE_CLOSED, check_close, ensure_open
from intake.domain.consent import ConsentIn, check_withdrawal, ensure_member
from intake.domain.consultations import (
    ConsultationIn,
    ensure_concern_taken,
    ensure_consultation_agency,
    escalation,
    reclassified,
)
from intake.domain.duplicates import probe_of
from intake.domain.persons import check_link
from kasane.clock import FixedClock, set_clock
from kasane.errors import Conflict, Forbidden, Invalid
from kasane.ids import uuid7
from kasane.reference import school_districts


def _consultation(**overrides: Any) -> ConsultationIn:
    body: dict[str, Any] = {
        "received_at": "2026-06-02T10:00:00+09:00",
        "issue_codes": ["elderly_care"],
        "age_band": "80-89",
        "school_district_code": school_districts()[0].code,
        "channel": "in_person",
    }
    return ConsultationIn.model_validate({**body, **overrides})


def test_only_consultation_agencies_accept_consultations() -> None:
    ensure_consultation_agency("houkatsu-01")
    with pytest.raises(Forbidden) as refused:
        ensure_consultation_agency("shakyo")
    assert refused.value.field == "agency" and refused.value.status == 403


def test_a_closed_case_takes_nothing_more() -> None:
    ensure_open("open")
    with pytest.raises(Conflict) as refused:
        ensure_open("closed")
    assert (refused.value.field, refused.value.reason) == ("case_id", CASE_CLOSED)


def test_closing_refuses_a_closed_case_as_conflict_and_a_date_before_opening_as_invalid() -> None:
    check_close("open", date(2025, 6, 1), date(2025, 6, 1))
    with pytest.raises(Conflict):
        check_close("closed", date(2025, 6, 1), date(2025, 7, 1))
    with pytest.raises(Invalid) as refused:
        check_close("open", date(2025, 6, 1), date(2025, 5, 31))
    assert refused.value.field == "closed_on"


def test_a_concern_not_in_the_queue_is_a_conflict() -> None:
    ensure_concern_taken(True)
    with pytest.raises(Conflict) as refused:
        ensure_concern_taken(False)
    assert refused.value.field == "concern_id"


def test_consent_is_given_by_a_person_of_the_case() -> None:
    member = uuid7()
    ensure_member(member, {member})
    with pytest.raises(Invalid) as refused:
        ensure_member(uuid7(), {member})
    assert refused.value.field == "person_id"


def test_a_consent_is_withdrawn_once_and_not_before_it_was_given() -> None:
    check_withdrawal(None, date(2025, 6, 1), date(2025, 6, 1))
    with pytest.raises(Conflict) as twice:
        check_withdrawal(date(2025, 6, 2), date(2025, 6, 1), date(2025, 6, 3))
    assert twice.value.field == "consent_id"
    with pytest.raises(Invalid) as early:
        check_withdrawal(None, date(2025, 6, 1), date(2025, 5, 31))
    assert early.value.field == "withdrawn_on"


def test_a_person_is_not_linked_to_itself() -> None:
    person = uuid7()
    check_link(person, uuid7())
    with pytest.raises(Invalid) as refused:
        check_link(person, person)
    assert refused.value.field == "linked_person_id"


def test_a_duplicate_probe_needs_a_key_and_kana_in_kana() -> None:
    probe = probe_of("クルメ　タロウ", None, None)
    assert probe.kana == "クルメタロウ"
    with pytest.raises(Invalid) as not_kana:
        probe_of("久留米", None, None)
    assert not_kana.value.field == "kana"
    with pytest.raises(Invalid) as no_key:
        probe_of(None, None, None)
    assert no_key.value.field == "kana"


def test_a_consultation_reclassifies_its_case_only_when_it_adds_something() -> None:
    case_id = uuid7()
    assert reclassified(case_id, ["elderly_care"], _consultation()) is None
    added = reclassified(case_id, ["hikikomori"], _consultation())
    assert added is not None and added.issue_codes == ["hikikomori", "elderly_care"]
    flagged = reclassified(
        case_id,
        ["elderly_care"],
        _consultation(between_systems={"flag": True, "reason": "制度外"}),
    )
    assert flagged is not None and flagged.between_systems


def test_an_escalating_outcome_hands_the_case_to_its_program_on_the_japanese_date() -> None:
    case_id = uuid7()
    assert escalation(case_id, "houkatsu-01", _consultation(outcome="connected")) is None
    escalated = escalation(
        case_id,
        "houkatsu-01",
        # 00:30 in Japan is still the previous day in UTC: the date is Japan's.
        _consultation(outcome="to_outreach", received_at="2026-06-02T00:30:00+09:00"),
    )
    assert escalated is not None
    assert (escalated.program, escalated.escalated_on) == ("outreach", date(2026, 6, 2))


def test_future_dates_are_judged_by_the_pinned_clock() -> None:
    """「未来」 is the service's today (kasane.clock), so a pinned clock pins validation too."""
    body = {
        "person_id": str(uuid7()),
        "scope": {"agencies": ["kikan-01"]},
        "method": "written",
    }
    set_clock(FixedClock(date(2025, 7, 1)))
    try:
        ConsentIn.model_validate({**body, "consented_on": "2025-07-01"})
        with pytest.raises(ValidationError, match="the consent date is in the future"):
            ConsentIn.model_validate({**body, "consented_on": "2025-07-02"})
        with pytest.raises(ValidationError, match="received_at is in the future"):
            _consultation(received_at="2025-07-02T09:00:00+09:00")
    finally:
        set_clock(None)
