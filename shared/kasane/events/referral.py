"""Contracts published by referral on ``kasane.referral.v1`` (key: case_id).

A referral (つなぎ) moves requested -> accepted | declined -> completed, or revoked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import Field

from kasane.clock import today_jst
from kasane.events.envelope import EventContract
from kasane.events.types import AgencyId, Code, LegalBasis, Program


def _entry_day(payload: dict[str, Any], instant: str, day: str) -> dict[str, Any]:
    """A v1 payload knew only the entry instant: the act is dated by its day in Japan, as
    every v1 consumer dated it."""
    entered = datetime.fromisoformat(str(payload[instant]))
    return {**payload, day: today_jst(entered).isoformat()}


def _requested_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return _entry_day(payload, "requested_at", "requested_on")


def _accepted_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return _entry_day(payload, "accepted_at", "accepted_on")


class ReferralRequested(EventContract):
    """v2 (issue 18): ``requested_on``, the day the referral was made, which may be before
    ``requested_at`` (when it was entered); the 年度 follows ``requested_on``. v1 payloads
    are upcast with the JST date of ``requested_at``."""

    event_type: ClassVar[str] = "referral.ReferralRequested"
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {
        1: _requested_v1_to_v2
    }

    referral_id: UUID
    case_id: UUID
    from_agency_id: AgencyId
    to_agency_id: AgencyId | None = None  # exactly one of to_agency_id / to_program
    to_program: Program | None = None
    reason_codes: list[Code] = Field(min_length=1)
    legal_basis: LegalBasis
    consent_id: UUID | None = None
    support_meeting_decision_id: UUID | None = None
    requested_at: datetime  # entered
    requested_on: date  # happened (the 年度's day)
    due_on: date  # not accepted by then: overdue


class ReferralAccepted(EventContract):
    """v2 (issue 18): ``accepted_on``, the day it was accepted (not before ``requested_on``),
    which may be before ``accepted_at`` (entered). v1: the JST date of ``accepted_at``."""

    event_type: ClassVar[str] = "referral.ReferralAccepted"
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {
        1: _accepted_v1_to_v2
    }

    referral_id: UUID
    case_id: UUID
    by_agency_id: AgencyId
    accepted_at: datetime  # entered
    accepted_on: date  # happened


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
