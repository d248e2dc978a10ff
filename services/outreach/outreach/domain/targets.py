"""Outreach targets: people or households support does not reach yet. Rules, no I/O.

A target may start with nothing but a description ("the house at … with the shutters
always closed") and without consent: outreach exists to reach people who have not asked.
What identifies it stays here; events carry the target id, source and 校区 only. Once the
person is known to intake, the target is linked to the intake person and case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from kasane.errors import Conflict, Invalid
from kasane.events.outreach import EngagementStageChanged, OutreachTargetRegistered
from kasane.types import IsoDate, Line, NotFuture, SchoolDistrictCode, Text
from outreach.domain import codes
from outreach.domain.fields import not_blank
from outreach.domain.stages import StageChange, check_stage_change

MAX_INTERVAL_DAYS = 365


def _interval(value: int) -> int:
    if not 1 <= value <= MAX_INTERVAL_DAYS:
        raise ValueError(
            f"訪問間隔は1〜{MAX_INTERVAL_DAYS}日"
            f" / visit_interval_days must be 1..{MAX_INTERVAL_DAYS}"
        )
    return value


Interval = Annotated[int, AfterValidator(_interval)]
Description = Annotated[Text, AfterValidator(not_blank), Field(min_length=1, max_length=2000)]


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str  # minsei_iin, fureai, council, ibasho, agency, family
    description: Description  # 対象の手がかり（個人情報）
    school_district_code: SchoolDistrictCode | None = None
    case_id: UUID | None = None  # intake's case, once known
    person_id: UUID | None = None  # intake's person, once known
    assigned_worker: Line | None = Field(default=None, max_length=100)  # default: the caller
    visit_interval_days: Interval | None = None  # 定期訪問の間隔
    # default: today
    registered_on: Annotated[IsoDate, NotFuture("登録日", "registered_on")] | None = None

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        return codes.check("sources", value, "把握経路")


class TargetPatch(BaseModel):
    """Only the fields sent are changed (``null`` clears the optional ones)."""

    model_config = ConfigDict(extra="forbid")

    description: Description | None = None
    school_district_code: SchoolDistrictCode | None = None
    case_id: UUID | None = None
    person_id: UUID | None = None
    assigned_worker: Line | None = Field(default=None, max_length=100)
    visit_interval_days: Interval | None = None
    stage: str | None = None
    reason: Text | None = Field(default=None, max_length=2000)  # why the stage changed
    changed_on: IsoDate | None = None  # of the stage change; default: today

    @field_validator("stage")
    @classmethod
    def _stage(cls, value: str | None) -> str | None:
        return None if value is None else codes.check("stages", value, "段階")


@dataclass(frozen=True)
class TargetState:
    status: str  # open | ended
    stage: str
    stage_changed_on: IsoDate
    description: str
    school_district_code: str | None
    case_id: UUID | None
    person_id: UUID | None
    assigned_worker: str | None
    visit_interval_days: int | None

    @classmethod
    def of(cls, target: Any) -> TargetState:
        """The rule-relevant part of a stored target (any object with these attributes)."""
        return cls(**{name: getattr(target, name) for name in cls.__dataclass_fields__})


_PLAIN_FIELDS = (
    "description",
    "school_district_code",
    "person_id",
    "assigned_worker",
    "visit_interval_days",
)


def plan_patch(
    state: TargetState, patch: TargetPatch, today: date
) -> tuple[dict[str, Any], StageChange | None]:
    """Column updates and the stage change a PATCH makes, or a refusal. Pure."""
    if state.status != "open":
        raise Conflict("status", "終了した対象です / the outreach has ended")
    sent = patch.model_fields_set
    if "description" in sent and patch.description is None:
        raise Invalid("description", "空にはできません / description cannot be cleared")
    updates: dict[str, Any] = {
        name: getattr(patch, name)
        for name in _PLAIN_FIELDS
        if name in sent and getattr(patch, name) != getattr(state, name)
    }
    if "case_id" in sent and patch.case_id != state.case_id:
        if state.case_id is not None:
            raise Conflict("case_id", "別のケースに紐づいています / already linked to another case")
        updates["case_id"] = patch.case_id
    change = None
    if patch.stage is not None:
        change = check_stage_change(
            state.stage,
            patch.stage,
            reason=patch.reason,
            changed_on=patch.changed_on or today,
            last_changed_on=state.stage_changed_on,
            today=today,
        )
        if change is not None:
            updates["stage"] = change.to_stage
            updates["stage_changed_on"] = change.changed_on
    elif "reason" in sent or "changed_on" in sent:
        raise Invalid("stage", "理由・変更日は段階とともに / reason and changed_on need a stage")
    return updates, change


def registered(target_id: UUID, data: TargetIn, registered_on: date) -> OutreachTargetRegistered:
    return OutreachTargetRegistered(
        target_id=target_id,
        source=data.source,
        school_district_code=data.school_district_code,
        registered_on=registered_on,
        case_id=data.case_id,
    )


def stage_changed(target_id: UUID, change: StageChange) -> EngagementStageChanged:
    """The event of a stage change: the reason stays here."""
    return EngagementStageChanged(
        target_id=target_id,
        from_stage=change.from_stage,
        to_stage=change.to_stage,
        changed_on=change.changed_on,
    )
