"""The access rule of docs/architecture/access-rules.md as a pure function."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from intake.domain.access import Grant, Level, decide, owner_decision
from kasane.clock import JST

NOW = datetime(2025, 9, 1, tzinfo=UTC)
WORKER = frozenset({"counselor"})
CONSENT = uuid.uuid4()


def grant(
    agency: str, source: str, revoked: datetime | None = None, consent: uuid.UUID | None = None
) -> Grant:
    return Grant(agency, source, uuid.uuid4(), "consent", consent, NOW - timedelta(days=1), revoked)


def test_owner_works_the_case() -> None:
    decision = decide("jiritsu", WORKER, "jiritsu", [], NOW)
    assert (decision.level, decision.basis) == (Level.WORK, "owner")


def test_stranger_sees_nothing() -> None:
    assert not decide("kodomo", WORKER, "jiritsu", [grant("kikan-01", "referral")], NOW).allowed


def test_referral_and_meeting_grants_show_the_case_but_not_the_timeline() -> None:
    for source in ("referral", "meeting"):
        decision = decide("kikan-01", WORKER, "jiritsu", [grant("kikan-01", source)], NOW)
        assert decision.level == Level.CASE
        assert decision.basis == "consent"


def test_plan_role_works_the_case() -> None:
    decision = decide(
        "aso", WORKER, "jiritsu", [grant("aso", "referral"), grant("aso", "plan")], NOW
    )
    assert decision.level == Level.WORK


def test_revoked_grant_ends_access_from_its_time() -> None:
    g = grant("kikan-01", "referral", revoked=NOW)
    assert decide("kikan-01", WORKER, "jiritsu", [g], NOW - timedelta(seconds=1)).allowed
    assert not decide("kikan-01", WORKER, "jiritsu", [g], NOW).allowed


def test_withdrawn_consent_ends_grants_based_on_it() -> None:
    g = grant("kikan-01", "referral", consent=CONSENT)
    assert not decide("kikan-01", WORKER, "jiritsu", [g], NOW, frozenset({CONSENT})).allowed


def test_roles_without_case_work_see_nothing_even_as_owner() -> None:
    for role in ("city_official", "auditor"):
        assert not decide("jiritsu", frozenset({role}), "jiritsu", [], NOW).allowed


def test_meeting_grant_lasts_to_its_last_day_in_japan() -> None:
    last_day = NOW.astimezone(JST).date()  # 2025-09-01 09:00 JST
    ends = replace(grant("kodomo", "meeting"), expires_on=last_day)
    assert decide("kodomo", WORKER, "houkatsu-01", [ends], NOW).allowed
    # 2025-09-01 23:59 JST is still the last day; 2025-09-02 00:00 JST is not.
    assert decide("kodomo", WORKER, "houkatsu-01", [ends], NOW + timedelta(hours=14)).allowed
    late = NOW + timedelta(hours=15)
    assert not decide("kodomo", WORKER, "houkatsu-01", [ends], late).allowed


PARTNER = frozenset({"partner"})


def test_a_partner_that_may_hold_case_access_reads_only_through_its_referral() -> None:
    referral = grant("hellowork-kurume", "referral")
    decision = decide("hellowork-kurume", PARTNER, "jiritsu", [referral], NOW)
    assert (decision.level, decision.basis) == (Level.CASE, "consent")
    # Never the timeline: a plan or meeting grant gives a partner nothing here.
    for source in ("plan", "meeting"):
        g = grant("hellowork-kurume", source)
        assert not decide("hellowork-kurume", PARTNER, "jiritsu", [g], NOW).allowed
    assert not decide("hellowork-kurume", PARTNER, "jiritsu", [], NOW).allowed
    revoked = grant("hellowork-kurume", "referral", revoked=NOW)
    assert not decide("hellowork-kurume", PARTNER, "jiritsu", [revoked], NOW).allowed


def test_a_partner_that_may_not_hold_case_access_never_reads_a_case() -> None:
    referral = grant("minsei-kyogikai", "referral")
    assert not decide("minsei-kyogikai", PARTNER, "jiritsu", [referral], NOW).allowed


def test_the_owner_decision_needs_no_grants_or_consents() -> None:
    """``owner_decision`` lets the guard skip reading grants and consents: it answers only
    where they cannot change ``decide``'s answer, and agrees with it there."""
    grant_sets = [
        [],
        [grant("jiritsu", "referral", revoked=NOW - timedelta(days=1))],
        [grant("jiritsu", "plan", consent=CONSENT)],
        [grant("kikan-01", "referral")],
    ]
    cases = [
        ("jiritsu", WORKER, "jiritsu"),
        ("jiritsu", frozenset({"manager"}), "jiritsu"),
        ("jiritsu", frozenset({"city_official"}), "jiritsu"),
        ("kikan-01", WORKER, "jiritsu"),
        ("npo-example", frozenset({"partner"}), "jiritsu"),
    ]
    for agency, roles, owner in cases:
        owned = owner_decision(agency, roles, owner)
        answers = {decide(agency, roles, owner, g, NOW, frozenset({CONSENT})) for g in grant_sets}
        if owned is not None:
            assert answers == {owned}, (agency, roles)
    assert owner_decision("jiritsu", WORKER, "jiritsu") is not None
    assert owner_decision("kikan-01", WORKER, "jiritsu") is None
    assert owner_decision("jiritsu", frozenset({"city_official"}), "jiritsu") is None
