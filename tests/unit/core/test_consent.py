"""kasane.consent: the one meaning of 本人同意 for intake, referral and meetings."""

from __future__ import annotations

from datetime import date
from typing import Any

from kasane.consent import Consent, ended, newest
from kasane.ids import uuid7

GIVEN, EXPIRES = date(2025, 4, 1), date(2026, 3, 31)


def consent(**overrides: Any) -> Consent:
    fields: dict[str, Any] = {
        "consent_id": uuid7(),
        "scope_agencies": frozenset({"kikan-01"}),
        "scope_programs": frozenset({"participation"}),
        "scope_meeting_types": frozenset({"multilayer_meeting"}),
        "consented_on": GIVEN,
        "expires_on": EXPIRES,
    }
    fields.update(overrides)
    return Consent(**fields)


def test_valid_from_the_consent_day_to_the_expiry_day_inclusive() -> None:
    c = consent()
    assert not c.valid_on(date(2025, 3, 31))
    assert c.valid_on(GIVEN) and c.valid_on(EXPIRES)
    assert not c.valid_on(date(2026, 4, 1))
    assert "期限切れ" in (c.problem_on(date(2026, 4, 1)) or "")
    assert consent(expires_on=None).valid_on(date(2040, 1, 1))


def test_a_withdrawal_takes_effect_from_its_own_date() -> None:
    c = consent(withdrawn_on=date(2025, 6, 1))
    assert c.valid_on(date(2025, 5, 31))
    assert not c.valid_on(date(2025, 6, 1))
    assert "撤回" in (c.problem_on(date(2025, 6, 1)) or "")


def test_a_withdrawal_seen_before_its_consent_is_never_in_force() -> None:
    stub = consent(consented_on=None, withdrawn_on=date(2025, 6, 1), scope_agencies=frozenset())
    assert not stub.valid_on(date(2025, 5, 1))
    assert stub.meeting_problem("multilayer_meeting", date(2025, 5, 1), date(2025, 5, 1))


def test_an_empty_agency_scope_names_nobody() -> None:
    c = consent(scope_agencies=frozenset())
    assert not c.names_agency("kikan-01")
    assert not c.covers_agency("kikan-01", GIVEN)
    assert consent().covers_agency("kikan-01", GIVEN)
    assert not consent().covers_agency("kikan-02", GIVEN)


def test_scopes_are_independent() -> None:
    c = consent(scope_programs=frozenset())
    assert c.covers_agency("kikan-01", GIVEN)
    assert not c.covers_program("participation", GIVEN)
    assert consent().covers_program("participation", GIVEN)
    assert not consent(withdrawn_on=GIVEN).covers_program("participation", GIVEN)


def test_meeting_sharing_needs_the_type_and_both_days() -> None:
    meeting = date(2025, 8, 27)
    c = consent(withdrawn_on=date(2025, 9, 30))
    assert c.meeting_problem("multilayer_meeting", meeting, meeting) is None
    assert c.meeting_problem("support_meeting", meeting, meeting) is not None  # not in scope
    # Reading the item of that meeting after the withdrawal is new sharing: refused.
    assert c.meeting_problem("multilayer_meeting", meeting, date(2025, 9, 30)) is not None
    # Expired before the meeting day.
    assert consent(expires_on=date(2025, 8, 26)).meeting_problem(
        "multilayer_meeting", meeting, date(2025, 8, 1)
    )


def test_newest_and_ended() -> None:
    old = consent(consented_on=date(2025, 4, 1))
    new = consent(consented_on=date(2025, 7, 1))
    gone = consent(consented_on=date(2025, 8, 1), withdrawn_on=date(2025, 8, 2))
    day = date(2025, 8, 10)
    assert newest([old, new, gone], lambda c: c.valid_on(day)) == new
    assert newest([], lambda c: True) is None
    assert ended([old, new, gone], day) == frozenset({gone.consent_id})
