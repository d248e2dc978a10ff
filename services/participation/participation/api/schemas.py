"""Response bodies, and how each is shaped from what a use case returns."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from kasane.types import IsoDate
from participation.domain import codes
from participation.domain.matching import Match
from participation.domain.resources import effective_capacity, free_places
from participation.store.participants import ParticipantSummary
from participation.store.resources import Resource
from participation.usecases.participants import ParticipantFile


class Created(BaseModel):
    id: UUID
    status: str | None = None


class ParticipantView(BaseModel):
    participant_id: UUID
    case_id: UUID
    referral_id: UUID | None
    meeting_decision_id: UUID | None
    legal_basis: str
    status: str
    age_band: str | None
    school_district_code: str | None
    started_on: IsoDate
    ended_on: IsoDate | None
    outcome_code: str | None
    current_stage: str | None
    plans: list[dict[str, Any]]
    placements: list[dict[str, Any]]
    steps: list[dict[str, Any]]


class MatchView(BaseModel):
    resource_id: UUID
    category: str
    school_district_code: str | None
    proximity: str
    free: int | None
    age_min: int | None
    age_max: int | None


class ResourceView(BaseModel):
    resource_id: UUID
    source: str  # own | community
    category: str
    category_label: str | None
    organization: dict[str, Any] | None
    service: dict[str, Any] | None
    location: dict[str, Any] | None
    schedules: list[dict[str, Any]]
    school_district_code: str | None
    program_code: str | None
    eligibility: dict[str, int | None]
    capacity: int | None  # in force: アソウ's figure, else the published one
    published_capacity: int | None
    in_use: int
    free: int | None
    withdrawn_on: IsoDate | None


class ResourceCreated(BaseModel):
    resource_id: UUID


def _without(record: Any, *drop: str) -> dict[str, Any]:
    return {k: v for k, v in asdict(record).items() if k not in drop}


def participant_view(file: ParticipantFile) -> ParticipantView:
    return ParticipantView(
        **_without(file.participant, "referring_agency_id", "created_by"),
        current_stage=file.current_stage,
        plans=[_without(p, "participant_id", "submitted_by") for p in file.plans],
        placements=[_without(p, "participant_id") for p in file.placements],
        steps=[_without(s, "participant_id", "recorded_at") for s in file.steps],
    )


def participant_line(row: ParticipantSummary) -> dict[str, Any]:
    """The list shows no legal basis (the detail does, to those who may read it)."""
    return _without(row, "legal_basis")


def match_view(m: Match) -> MatchView:
    return MatchView(
        resource_id=UUID(m.candidate.resource_id),
        category=m.candidate.category,
        school_district_code=m.candidate.school_district_code,
        proximity=m.proximity,
        free=m.candidate.free,
        age_min=m.candidate.age_min,
        age_max=m.candidate.age_max,
    )


def resource_view(row: Resource) -> ResourceView:
    capacity = effective_capacity(row.capacity, row.capacity_override)
    return ResourceView(
        resource_id=row.resource_id,
        source=row.source,
        category=row.category,
        category_label=codes.OWN_CATEGORIES.get(row.category),
        organization=row.organization,
        service=row.service,
        location=row.location,
        schedules=row.schedules or [],
        school_district_code=row.school_district_code,
        program_code=row.program_code,
        eligibility={"age_min": row.age_min, "age_max": row.age_max},
        capacity=capacity,
        published_capacity=row.capacity,
        in_use=row.in_use,
        free=free_places(capacity, row.in_use),
        withdrawn_on=row.withdrawn_on,
    )
