"""Contracts published by outreach on ``kasane.outreach.v1``.

Key: the target id (a target may have no case yet); case_id where the event is about a case.
What identifies a target ("the house with the shutters always closed") stays in outreach.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from kasane.events.envelope import EventContract
from kasane.events.plans import PlanSubmittedBase
from kasane.events.types import Code, SchoolDistrictCode


class OutreachTargetRegistered(EventContract):
    event_type: ClassVar[str] = "outreach.OutreachTargetRegistered"

    target_id: UUID
    source: Code  # minsei_iin, fureai, council, ibasho, agency, family
    school_district_code: SchoolDistrictCode | None = None
    registered_on: date
    case_id: UUID | None = None

    def partition_key(self) -> str:
        return str(self.target_id)


class ContactAttempted(EventContract):
    event_type: ClassVar[str] = "outreach.ContactAttempted"

    target_id: UUID
    contact_id: UUID
    method: Code  # visit, phone, letter, accompanied_visit
    result: Code  # absent 不在, refused 拒否, met 会えた, talked 話せた
    attempted_on: date

    def partition_key(self) -> str:
        return str(self.target_id)


class EngagementStageChanged(EventContract):
    event_type: ClassVar[str] = "outreach.EngagementStageChanged"

    target_id: UUID
    from_stage: Code
    to_stage: Code  # not_contacted, contacted, relationship, support_started, stable
    changed_on: date

    def partition_key(self) -> str:
        return str(self.target_id)


class PlanSubmitted(PlanSubmittedBase):
    """An アウトリーチ plan for a target linked to a case, for the next 重層的支援会議."""

    event_type: ClassVar[str] = "outreach.PlanSubmitted"

    target_id: UUID


class OutreachEnded(EventContract):
    event_type: ClassVar[str] = "outreach.OutreachEnded"

    target_id: UUID
    ended_on: date
    reason_code: Code  # e.g. handed_over, moved, refused, other

    def partition_key(self) -> str:
        return str(self.target_id)


CONTRACTS: tuple[type[EventContract], ...] = (
    OutreachTargetRegistered,
    ContactAttempted,
    EngagementStageChanged,
    PlanSubmitted,
    OutreachEnded,
)
