"""What every program's plan events share (多機関協働・アウトリーチ・参加支援 プラン).

A plan's life (docs/architecture/events-and-contracts.md): the owning program publishes
``PlanSubmitted``;
meetings queues it on the next 重層的支援会議 and publishes ``PlanApproved`` or
``PlanReturned``; evaluation and end are decided in a meeting.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from kasane.events.envelope import EventContract
from kasane.events.types import Program


class PlanSubmittedBase(EventContract):
    """A plan handed to the next 重層的支援会議 for its appropriateness (プランの適切性)."""

    plan_id: UUID
    case_id: UUID
    program: Program
    submitted_on: date
    review_on: date | None = None
