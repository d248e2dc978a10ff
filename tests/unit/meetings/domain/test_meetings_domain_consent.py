"""meetings.domain.consent: which consent lets a case onto a 重層的支援会議."""

from __future__ import annotations

from datetime import date
from typing import Any

from kasane.consent import Consent
from kasane.ids import uuid7
from meetings.domain.consent import refusal_reason, valid_consent

CASE = uuid7()
MEETING = date(2025, 8, 27)


def consent(**overrides: Any) -> Consent:
    fields: dict[str, Any] = {
        "consent_id": uuid7(),
        "case_id": CASE,
        "scope_meeting_types": frozenset({"multilayer_meeting"}),
        "scope_agencies": frozenset(),
        "consented_on": date(2025, 8, 1),
        "expires_on": None,
        "withdrawn_on": None,
    }
    fields.update(overrides)
    return Consent(**fields)


def test_a_plain_consent_covers_the_meeting() -> None:
    c = consent()
    assert c.meeting_problem("multilayer_meeting", MEETING, MEETING) is None
    assert valid_consent([c], "multilayer_meeting", MEETING, MEETING) == c


def test_scope_must_name_the_meeting_type() -> None:
    c = consent(scope_meeting_types=frozenset({"support_meeting"}))
    assert valid_consent([c], "multilayer_meeting", MEETING, MEETING) is None
    assert "範囲" in refusal_reason([c], "multilayer_meeting", MEETING, MEETING)


def test_expired_before_the_meeting_is_invalid_on_the_day_still_valid() -> None:
    assert (
        valid_consent(
            [consent(expires_on=date(2025, 8, 26))], "multilayer_meeting", MEETING, MEETING
        )
        is None
    )
    assert (
        valid_consent([consent(expires_on=MEETING)], "multilayer_meeting", MEETING, MEETING)
        is not None
    )


def test_withdrawal_stops_sharing_from_its_date() -> None:
    late = consent(withdrawn_on=date(2025, 9, 30))  # withdrawn after the meeting day
    # Before the withdrawal the meeting shared under it; from its date nothing more is shown.
    assert valid_consent([late], "multilayer_meeting", MEETING, date(2025, 9, 29)) == late
    assert valid_consent([late], "multilayer_meeting", MEETING, date(2025, 9, 30)) is None
    assert "撤回" in refusal_reason([late], "multilayer_meeting", MEETING, date(2025, 10, 1))


def test_consent_given_after_the_meeting_does_not_cover_it() -> None:
    c = consent(consented_on=date(2025, 8, 28))
    assert valid_consent([c], "multilayer_meeting", MEETING, MEETING) is None


def test_a_withdrawal_seen_before_its_record_is_not_a_consent() -> None:
    c = consent(consented_on=None, scope_meeting_types=frozenset(), withdrawn_on=MEETING)
    assert valid_consent([c], "multilayer_meeting", MEETING, MEETING) is None


def test_another_valid_consent_still_allows_it() -> None:
    old = consent(withdrawn_on=date(2025, 8, 10))
    new = consent(consented_on=date(2025, 8, 12))
    assert valid_consent([old, new], "multilayer_meeting", MEETING, MEETING) == new


def test_the_latest_valid_consent_is_chosen() -> None:
    first, second = consent(consented_on=date(2025, 4, 1)), consent(consented_on=date(2025, 7, 1))
    assert valid_consent([second, first], "multilayer_meeting", MEETING, MEETING) == second


def test_no_consent_at_all() -> None:
    assert valid_consent([], "multilayer_meeting", MEETING, MEETING) is None
    assert "no consent recorded" in refusal_reason([], "multilayer_meeting", MEETING, MEETING)


def test_agency_scope_empty_names_nobody() -> None:
    assert not consent().names_agency("kodomo")
    scoped = consent(scope_agencies=frozenset({"jiritsu"}))
    assert scoped.names_agency("jiritsu") and not scoped.names_agency("kodomo")
