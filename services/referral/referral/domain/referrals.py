"""Referral (つなぎ) rules with no I/O: the request, its target, who may do what.

States: requested → accepted | declined; accepted → completed; requested | accepted →
revoked. Declined, completed and revoked are final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal
from uuid import UUID

from kasane.business_days import add_business_days
from kasane.consent import Consent
from kasane.errors import Conflict, Forbidden, Invalid, NotFound
from kasane.intake_view import IntakeCase
from kasane.occurrence import occurrence_date
from kasane.reference.agencies import operator_of_program
from referral.domain import codes
from referral.domain.legal_basis import LegalBasis, consent_still_holds

Status = Literal["requested", "accepted", "declined", "completed", "revoked"]
Action = Literal["accept", "decline", "complete", "revoke"]
OPEN_STATUSES: Final[tuple[Status, ...]] = ("requested", "accepted")

_FROM: Final[dict[Action, tuple[Status, ...]]] = {
    "accept": ("requested",),
    "decline": ("requested",),
    "complete": ("accepted",),
    "revoke": OPEN_STATUSES,
}
_TO: Final[dict[Action, Status]] = {
    "accept": "accepted",
    "decline": "declined",
    "complete": "completed",
    "revoke": "revoked",
}
_ACTION_JA: Final[dict[Action, str]] = {
    "accept": "受理",
    "decline": "辞退",
    "complete": "完了",
    "revoke": "取消",
}

NOT_FOUND: Final = "つなぎが見つかりません / referral not found"


@dataclass(frozen=True)
class NewReferral:
    """A request as staff made it (validated input); the sender comes from the token."""

    case_id: UUID
    to_agency: str | None
    to_program: str | None
    reason_codes: tuple[str, ...]
    support_meeting_decision_id: UUID | None
    note: str | None
    requested_on: date | None = None  # the day it was made; None: today


@dataclass(frozen=True)
class Parties:
    """The agencies a referral involves (all fixed when it is requested)."""

    owner: str
    sender: str
    receiver: str
    status: Status


@dataclass(frozen=True)
class Referral:
    """One referral as stored (one row of ``referrals``)."""

    referral_id: UUID
    case_id: UUID
    owner_agency_id: str
    from_agency_id: str
    to_agency_id: str | None
    to_program: str | None
    receiver_agency_id: str
    reason_codes: tuple[str, ...]
    note: str | None
    legal_basis: Literal["consent", "support_meeting"]
    consent_id: UUID | None
    support_meeting_decision_id: UUID | None
    status: Status
    requested_at: datetime  # entered
    requested_by: str
    due_on: date
    requested_on: date  # happened: decides the 年度
    decided_at: datetime | None = None
    accepted_on: date | None = None  # happened (accepted only)
    decline_reason_code: str | None = None
    completed_at: datetime | None = None
    outcome_code: str | None = None
    revoked_at: datetime | None = None
    revoke_reason_code: str | None = None

    @property
    def parties(self) -> Parties:
        return Parties(
            owner=self.owner_agency_id,
            sender=self.from_agency_id,
            receiver=self.receiver_agency_id,
            status=self.status,
        )


def receiver_of(to_agency: str | None, to_program: str | None) -> str:
    if to_agency is not None:
        return to_agency
    assert to_program is not None  # the request schema guarantees one of the two
    return operator_of_program(to_program)


def check_not_self(sender: str, receiver: str) -> None:
    if sender == receiver:
        raise Invalid("to_agency", "自機関へはつなげません / cannot refer to your own agency")


def may_refer(agency: str, owner: str, accepted_receivers: set[str]) -> bool:
    """The owner refers; so may an agency that accepted a referral of the case (onward)."""
    return agency == owner or agency in accepted_receivers


def check_referable(
    agency: str, case: IntakeCase | None, accepted_receivers: set[str]
) -> IntakeCase:
    """The case exists for ``agency`` (else 404, as if unknown) and is still open."""
    if case is None or not may_refer(agency, case.lead_agency_id, accepted_receivers):
        raise NotFound("case_id", "ケースが見つかりません / case not found")
    if case.closed_on is not None:
        raise Conflict("case_id", "終結したケースです / the case is closed")
    return case


def new_referral(
    referral_id: UUID,
    request: NewReferral,
    *,
    owner: str,
    sender: str,
    requested_by: str,
    basis: LegalBasis,
    requested_at: datetime,
    requested_on: date,
    due: date,
) -> Referral:
    return Referral(
        referral_id=referral_id,
        case_id=request.case_id,
        owner_agency_id=owner,
        from_agency_id=sender,
        to_agency_id=request.to_agency,
        to_program=request.to_program,
        receiver_agency_id=receiver_of(request.to_agency, request.to_program),
        reason_codes=request.reason_codes,
        note=request.note,
        legal_basis=basis.legal_basis,
        consent_id=basis.consent_id,
        support_meeting_decision_id=basis.support_meeting_decision_id,
        status="requested",
        requested_at=requested_at,
        requested_by=requested_by,
        due_on=due,
        requested_on=requested_on,
    )


def requested_day(given: date | None, today: date, case: IntakeCase) -> date:
    """The day the referral was made: not in the future, not before the case opened."""
    return occurrence_date(
        given,
        today=today,
        field="requested_on",
        what_ja="依頼日",
        not_before=case.opened_on,
        before_ja="ケース開始日",
    )


def accepted_day(given: date | None, today: date, referral: Referral) -> date:
    """The day the referral was accepted: not in the future, not before it was made."""
    return occurrence_date(
        given,
        today=today,
        field="accepted_on",
        what_ja="受理日",
        not_before=referral.requested_on,
        before_ja="依頼日",
    )


def due_on(requested_on: date, business_days: int) -> date:
    return add_business_days(requested_on, business_days)


def is_overdue(status: str, due: date, as_of: date) -> bool:
    return status == "requested" and as_of > due


def can_see(agency: str, parties: Parties) -> bool:
    """Sender, receiver and case owner; a revoked referral no longer opens to the receiver."""
    if agency in (parties.sender, parties.owner):
        return True
    return agency == parties.receiver and parties.status != "revoked"


def check_visible(agency: str, referral: Referral | None) -> Referral:
    """The referral, if ``agency`` may see it; else 404, as if it did not exist."""
    if referral is None or not can_see(agency, referral.parties):
        raise NotFound("referral_id", NOT_FOUND)
    return referral


def access_basis(agency: str, referral: Referral) -> str:
    """The legal basis an access by ``agency`` is audited with: the owner and the sender
    read their own work; the receiver reads on the referral's basis."""
    if agency in (referral.owner_agency_id, referral.from_agency_id):
        return "owner"
    return referral.legal_basis


def next_status(action: Action, current: Status) -> Status:
    if current not in _FROM[action]:
        label = codes.STATUSES[current]
        raise Conflict(
            "status",
            f"「{label}」のつなぎは{_ACTION_JA[action]}できません / "
            f"cannot {action} a referral that is {current}",
        )
    return _TO[action]


def check_actor(action: Action, agency: str, roles: frozenset[str], parties: Parties) -> str | None:
    """Refuse an actor who may not take ``action``; for revoke, return the reason code."""
    if action != "revoke":
        if agency != parties.receiver:
            raise Forbidden(
                "agency",
                f"{_ACTION_JA[action]}はつなぎ先の機関のみ / "
                f"only the receiving agency may {action}",
            )
        return None
    if agency == parties.sender:
        return codes.REVOKE_BY_SENDER
    if "manager" in roles and agency in (parties.receiver, parties.owner):
        return codes.REVOKE_BY_MANAGER
    raise Forbidden(
        "agency",
        "取消は依頼元または管理者のみ / only the sender or a manager may revoke",
    )


def check_acceptable(referral: Referral, consents: list[Consent], on: date) -> None:
    """A consent-based referral is accepted only while the consent it rests on holds."""
    if referral.legal_basis != "consent":
        return
    holds = referral.consent_id is not None and consent_still_holds(
        consents, referral.consent_id, referral.receiver_agency_id, referral.to_program, on
    )
    if not holds:
        raise Conflict(
            "consent",
            "依頼の根拠だった本人同意が有効ではなくなりました / the consent this "
            "referral rests on is no longer valid",
        )


def check_list_scope(agency: str | None, own_agency: str) -> None:
    if agency is not None and agency != own_agency:
        raise Forbidden(
            "agency", "自機関のつなぎのみ一覧できます / you may list only your own agency"
        )
