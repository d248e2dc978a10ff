"""Contracts published by participation (参加支援事業) on ``kasane.participation.v1``.

Key: case_id.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from kasane.events.envelope import EventContract
from kasane.events.plans import PlanSubmittedBase
from kasane.events.types import Code
from kasane.reference.codes import ParticipationStage


class ParticipationStarted(EventContract):
    event_type: ClassVar[str] = "participation.ParticipationStarted"

    participant_id: UUID
    case_id: UUID
    referral_id: UUID | None = None
    meeting_decision_id: UUID | None = None
    started_on: date


class PlanSubmitted(PlanSubmittedBase):
    """A 参加支援 plan (wishes, goals, steps), for the next 重層的支援会議."""

    event_type: ClassVar[str] = "participation.PlanSubmitted"

    participant_id: UUID
    # The plan's goals as codes: the 参加支援 stages its steps aim at, in order (the
    # wording of goals and steps stays in participation). Optional: older payloads lack it.
    planned_stages: list[ParticipationStage] | None = None


class PlacementStarted(EventContract):
    event_type: ClassVar[str] = "participation.PlacementStarted"

    placement_id: UUID
    participant_id: UUID
    case_id: UUID
    resource_id: UUID
    category: Code  # ibasho 居場所, work_trial 就労体験, employment 就労支援, housing 住まい, ...
    started_on: date


class PlacementEnded(EventContract):
    event_type: ClassVar[str] = "participation.PlacementEnded"

    placement_id: UUID
    participant_id: UUID
    case_id: UUID
    ended_on: date
    outcome_code: Code


class ParticipationEnded(EventContract):
    event_type: ClassVar[str] = "participation.ParticipationEnded"

    participant_id: UUID
    case_id: UUID
    ended_on: date
    outcome_code: Code


CONTRACTS: tuple[type[EventContract], ...] = (
    ParticipationStarted,
    PlanSubmitted,
    PlacementStarted,
    PlacementEnded,
    ParticipationEnded,
)
