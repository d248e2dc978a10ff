"""Referral rules without I/O: legal basis, targets, transitions, actors, visibility."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import uuid4

import pytest

from kasane.consent import Consent
from kasane.errors import DomainError, Forbidden
from referral.domain import codes
from referral.domain.legal_basis import (
    MeetingDecision,
    choose_legal_basis,
    consent_covers,
    consent_still_holds,
)
from referral.domain.referrals import (
    Parties,
    can_see,
    check_actor,
    check_not_self,
    may_refer,
    next_status,
    receiver_of,
)

DAY = date(2025, 7, 1)


def consent(**overrides: object) -> Consent:
    fields: dict[str, object] = {
        "consent_id": uuid4(),
        "scope_agencies": ("jiritsu",),
        "scope_programs": ("participation",),
        "consented_on": date(2025, 6, 1),
        "expires_on": None,
        "withdrawn_on": None,
    }
    fields.update(overrides)
    return Consent(**fields)  # type: ignore[arg-type]


class TestTargets:
    def test_program_receivers_are_their_operators(self) -> None:
        assert receiver_of(None, "participation") == "aso"
        assert receiver_of(None, "outreach") == "shakyo"
        assert receiver_of(None, "multiagency") == "shakyo"
        assert receiver_of("kodomo", None) == "kodomo"

    def test_self_referral_is_422(self) -> None:
        with pytest.raises(DomainError) as refused:
            check_not_self("aso", receiver_of(None, "participation"))
        assert refused.value.status == 422
        check_not_self("jiritsu", "kodomo")

    def test_owner_or_accepted_receiver_may_refer(self) -> None:
        assert may_refer("houkatsu-01", "houkatsu-01", set())
        assert may_refer("jiritsu", "houkatsu-01", {"jiritsu"})
        assert not may_refer("kodomo", "houkatsu-01", {"jiritsu"})


class TestLegalBasis:
    def test_consent_scope_covers_agency_or_program(self) -> None:
        c = consent()
        assert consent_covers(c, "jiritsu", None, DAY)
        assert not consent_covers(c, "kodomo", None, DAY)
        assert consent_covers(c, "aso", "participation", DAY)
        assert not consent_covers(c, "shakyo", "outreach", DAY)

    def test_withdrawn_expired_or_future_consent_does_not_cover(self) -> None:
        assert not consent_covers(consent(withdrawn_on=DAY), "jiritsu", None, DAY)
        assert consent_covers(consent(withdrawn_on=date(2025, 7, 2)), "jiritsu", None, DAY)
        assert not consent_covers(consent(expires_on=date(2025, 6, 30)), "jiritsu", None, DAY)
        assert consent_covers(consent(expires_on=DAY), "jiritsu", None, DAY)
        assert not consent_covers(consent(consented_on=date(2025, 7, 2)), "jiritsu", None, DAY)

    def test_no_basis_is_409(self) -> None:
        with pytest.raises(DomainError) as refused:
            choose_legal_basis(
                [consent(scope_agencies=("kodomo",))],
                "jiritsu",
                None,
                None,
                DAY,
                case_id=CASE,
                decision=None,
            )
        assert refused.value.status == 409
        assert refused.value.field == "legal_basis"

    def test_newest_covering_consent_is_recorded(self) -> None:
        old, new = consent(consented_on=date(2025, 1, 1)), consent(consented_on=date(2025, 6, 1))
        other = consent(consented_on=date(2025, 6, 30), scope_agencies=("kodomo",))
        basis = choose_legal_basis(
            [old, new, other], "jiritsu", None, None, DAY, case_id=CASE, decision=None
        )
        assert (basis.legal_basis, basis.consent_id) == ("consent", new.consent_id)

    def test_support_meeting_decision_needs_no_consent(self) -> None:
        found = _decision()
        basis = choose_legal_basis(
            [], "jiritsu", None, found.decision_id, DAY, case_id=CASE, decision=found
        )
        assert basis.legal_basis == "support_meeting"
        assert basis.support_meeting_decision_id == found.decision_id
        assert basis.consent_id is None

    @pytest.mark.parametrize(
        "changes",
        [
            {"case_id": uuid4()},
            {"meeting_type": "multilayer_meeting"},
            {"outcome": "watch"},
            {"member_agency_ids": frozenset({"shakyo"})},
            {"access_until": date(2025, 6, 30)},
        ],
    )
    def test_an_unfitting_decision_is_409(self, changes: dict[str, object]) -> None:
        found = replace(_decision(), **changes)  # type: ignore[arg-type]
        with pytest.raises(DomainError) as refused:
            choose_legal_basis(
                [], "jiritsu", None, found.decision_id, DAY, case_id=CASE, decision=found
            )
        assert (refused.value.status, refused.value.field) == (409, "support_meeting_decision_id")

    def test_an_unknown_decision_is_409(self) -> None:
        with pytest.raises(DomainError) as refused:
            choose_legal_basis([], "jiritsu", None, uuid4(), DAY, case_id=CASE, decision=None)
        assert refused.value.field == "support_meeting_decision_id"


CASE = uuid4()


def _decision() -> MeetingDecision:
    return MeetingDecision(
        decision_id=uuid4(),
        case_id=CASE,
        meeting_id=uuid4(),
        meeting_type="support_meeting",
        outcome="share",
        decided_on=date(2025, 6, 25),
        member_agency_ids=frozenset({"jiritsu", "shakyo"}),
        access_until=DAY,
    )


class TestTransitions:
    @pytest.mark.parametrize(
        ("action", "current", "expected"),
        [
            ("accept", "requested", "accepted"),
            ("decline", "requested", "declined"),
            ("complete", "accepted", "completed"),
            ("revoke", "requested", "revoked"),
            ("revoke", "accepted", "revoked"),
        ],
    )
    def test_allowed(self, action: str, current: str, expected: str) -> None:
        assert next_status(action, current) == expected  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("action", "current"),
        [
            ("accept", "accepted"),
            ("accept", "declined"),
            ("accept", "revoked"),
            ("decline", "accepted"),
            ("complete", "requested"),
            ("complete", "completed"),
            ("revoke", "completed"),
            ("revoke", "declined"),
            ("revoke", "revoked"),
        ],
    )
    def test_refused_with_409(self, action: str, current: str) -> None:
        with pytest.raises(DomainError) as refused:
            next_status(action, current)  # type: ignore[arg-type]
        assert refused.value.status == 409
        assert current in refused.value.reason


PARTIES = Parties(owner="houkatsu-01", sender="houkatsu-01", receiver="jiritsu", status="requested")
ONWARD = Parties(owner="houkatsu-01", sender="jiritsu", receiver="aso", status="accepted")


class TestActors:
    def test_only_receiver_accepts_declines_completes(self) -> None:
        for action in ("accept", "decline", "complete"):
            assert check_actor(action, "jiritsu", frozenset({"counselor"}), PARTIES) is None
            with pytest.raises(DomainError) as refused:
                check_actor(action, "houkatsu-01", frozenset({"manager"}), PARTIES)
            assert refused.value.status == 403

    def test_revoke_by_sender_or_manager(self) -> None:
        roles = frozenset({"counselor"})
        assert check_actor("revoke", "houkatsu-01", roles, PARTIES) == codes.REVOKE_BY_SENDER
        manager = frozenset({"manager"})
        assert check_actor("revoke", "jiritsu", manager, PARTIES) == codes.REVOKE_BY_MANAGER
        # The case owner's manager may revoke an onward referral it did not send.
        assert check_actor("revoke", "houkatsu-01", manager, ONWARD) == codes.REVOKE_BY_MANAGER
        with pytest.raises(Forbidden):
            check_actor("revoke", "jiritsu", roles, PARTIES)
        with pytest.raises(Forbidden):
            check_actor("revoke", "kodomo", manager, PARTIES)


class TestVisibility:
    def test_parties_see_strangers_do_not(self) -> None:
        assert can_see("houkatsu-01", PARTIES)
        assert can_see("jiritsu", PARTIES)
        assert not can_see("kodomo", PARTIES)
        assert can_see("houkatsu-01", ONWARD)  # the case owner sees onward referrals

    def test_revocation_ends_the_receivers_access_only(self) -> None:
        revoked = Parties(
            owner="houkatsu-01", sender="houkatsu-01", receiver="jiritsu", status="revoked"
        )
        assert not can_see("jiritsu", revoked)
        assert can_see("houkatsu-01", revoked)


def test_acceptance_needs_the_requests_consent_to_still_hold() -> None:
    from datetime import date as _date

    cid = uuid4()
    consent = Consent(
        consent_id=cid,
        scope_agencies=frozenset({"kikan-01"}),
        consented_on=_date(2025, 4, 1),
        expires_on=_date(2025, 9, 30),
    )
    assert consent_still_holds([consent], cid, "kikan-01", None, _date(2025, 9, 30))
    assert not consent_still_holds([consent], cid, "kikan-01", None, _date(2025, 10, 1))
    assert not consent_still_holds([consent], uuid4(), "kikan-01", None, _date(2025, 5, 1))
