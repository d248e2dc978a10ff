"""Contracts published by referral on ``kasane.referral.v1`` (key: case_id).

A referral (つなぎ) moves requested -> accepted | declined -> completed, or revoked.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from kasane.events.envelope import EventContract
from kasane.events.types import AgencyId, Code, LegalBasis, Program


class ReferralRequested(EventContract):
    event_type: ClassVar[str] = "referral.ReferralRequested"

    referral_id: UUID
    case_id: UUID
    from_agency_id: AgencyId
    to_agency_id: AgencyId | None = None  # exactly one of to_agency_id / to_program
    to_program: Program | None = None
    reason_codes: list[Code] = Field(min_length=1)
    legal_basis: LegalBasis
    consent_id: UUID | None = None
    support_meeting_decision_id: UUID | None = None
    requested_at: datetime
    due_on: date  # not accepted by then: overdue


class ReferralAccepted(EventContract):
    event_type: ClassVar[str] = "referral.ReferralAccepted"

    referral_id: UUID
    case_id: UUID
    by_agency_id: AgencyId
    accepted_at: datetime


class ReferralDeclined(EventContract):
    event_type: ClassVar[str] = "referral.ReferralDeclined"

    referral_id: UUID
    case_id: UUID
    by_agency_id: AgencyId
    declined_at: datetime
    reason_code: Code


class ReferralCompleted(EventContract):
    event_type: ClassVar[str] = "referral.ReferralCompleted"

    referral_id: UUID
    case_id: UUID
    completed_at: datetime
    outcome_code: Code


class ReferralRevoked(EventContract):
    """Access granted by the referral ends (sender, manager, or consent withdrawn)."""

    event_type: ClassVar[str] = "referral.ReferralRevoked"

    referral_id: UUID
    case_id: UUID
    revoked_at: datetime
    reason_code: Code  # e.g. "by_sender", "by_manager", "consent_withdrawn"


CONTRACTS: tuple[type[EventContract], ...] = (
    ReferralRequested,
    ReferralAccepted,
    ReferralDeclined,
    ReferralCompleted,
    ReferralRevoked,
)
