"""The guards use cases run before they change anything: which case may be referred,
which referral an agency may see, the audited basis of an access, acceptance and lists."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from kasane.consent import Consent
from kasane.errors import Conflict, Forbidden, Invalid, NotFound
from kasane.intake_view import IntakeCase
from referral.domain.legal_basis import LegalBasis
from referral.domain.referrals import (
    NewReferral,
    Referral,
    access_basis,
    check_acceptable,
    check_list_scope,
    check_not_self,
    check_referable,
    check_visible,
    new_referral,
)

DAY = date(2025, 7, 1)
OWNER, RECEIVER = "houkatsu-01", "jiritsu"


def _request(**changes: object) -> NewReferral:
    fields: dict[str, object] = {
        "case_id": uuid4(),
        "to_agency": RECEIVER,
        "to_program": None,
        "reason_codes": ("poverty",),
        "support_meeting_decision_id": None,
        "note": None,
    }
    return NewReferral(**(fields | changes))  # type: ignore[arg-type]


def _referral(basis: LegalBasis, **changes: object) -> Referral:
    return new_referral(
        uuid4(),
        _request(**changes),
        owner=OWNER,
        sender=OWNER,
        requested_by="staff-1",
        basis=basis,
        requested_at=datetime(2025, 7, 1, 1, tzinfo=UTC),
        requested_on=DAY,
        due=date(2025, 7, 8),
    )


def _consent(consent_id: object, **changes: object) -> Consent:
    fields: dict[str, object] = {
        "consent_id": consent_id,
        "scope_agencies": frozenset({RECEIVER}),
        "consented_on": date(2025, 6, 1),
        "expires_on": None,
    }
    return Consent(**(fields | changes))  # type: ignore[arg-type]


class TestReferableCase:
    def test_unknown_or_foreign_case_is_404(self) -> None:
        case = IntakeCase(uuid4(), OWNER, None, DAY)
        for found, agency in ((None, OWNER), (case, "kodomo")):
            with pytest.raises(NotFound) as refused:
                check_referable(agency, found, set())
            assert refused.value.field == "case_id"

    def test_owner_or_accepted_receiver_refers_an_open_case(self) -> None:
        case = IntakeCase(uuid4(), OWNER, None, DAY)
        assert check_referable(OWNER, case, set()) is case
        assert check_referable(RECEIVER, case, {RECEIVER}) is case

    def test_closed_case_is_409(self) -> None:
        with pytest.raises(Conflict) as refused:
            check_referable(OWNER, IntakeCase(uuid4(), OWNER, DAY, DAY), set())
        assert refused.value.field == "case_id"

    def test_self_referral_is_invalid(self) -> None:
        with pytest.raises(Invalid) as refused:
            check_not_self(RECEIVER, RECEIVER)
        assert refused.value.field == "to_agency"


class TestNewReferral:
    def test_program_request_goes_to_the_programs_operator(self) -> None:
        made = _referral(
            LegalBasis("consent", consent_id=uuid4()), to_agency=None, to_program="participation"
        )
        assert (made.receiver_agency_id, made.status) == ("aso", "requested")
        assert made.parties.receiver == "aso"
        assert (made.parties.owner, made.parties.sender) == (OWNER, OWNER)

    def test_basis_is_recorded(self) -> None:
        decision = uuid4()
        made = _referral(LegalBasis("support_meeting", support_meeting_decision_id=decision))
        assert (made.legal_basis, made.consent_id) == ("support_meeting", None)
        assert made.support_meeting_decision_id == decision


class TestVisibilityAndBasis:
    def test_invisible_or_missing_referral_is_the_same_404(self) -> None:
        made = _referral(LegalBasis("consent", consent_id=uuid4()))
        with pytest.raises(NotFound) as unseen:
            check_visible("kodomo", made)
        with pytest.raises(NotFound) as missing:
            check_visible(OWNER, None)
        assert (unseen.value.field, unseen.value.reason) == (
            missing.value.field,
            missing.value.reason,
        )
        assert check_visible(RECEIVER, made) is made

    def test_receiver_reads_on_the_referrals_basis_owner_on_its_own(self) -> None:
        made = _referral(LegalBasis("consent", consent_id=uuid4()))
        assert access_basis(OWNER, made) == "owner"
        assert access_basis(RECEIVER, made) == "consent"

    def test_only_the_own_agency_is_listed(self) -> None:
        check_list_scope(None, OWNER)
        check_list_scope(OWNER, OWNER)
        with pytest.raises(Forbidden) as refused:
            check_list_scope("kodomo", OWNER)
        assert refused.value.field == "agency"


class TestAcceptance:
    def test_consent_basis_must_still_hold(self) -> None:
        cid = uuid4()
        made = _referral(LegalBasis("consent", consent_id=cid))
        check_acceptable(made, [_consent(cid)], DAY)
        with pytest.raises(Conflict) as refused:
            check_acceptable(made, [_consent(cid, expires_on=date(2025, 6, 30))], DAY)
        assert refused.value.field == "consent"
        with pytest.raises(Conflict):
            check_acceptable(made, [], DAY)

    def test_meeting_basis_needs_no_consent(self) -> None:
        made = _referral(LegalBasis("support_meeting", support_meeting_decision_id=uuid4()))
        check_acceptable(made, [], DAY)
