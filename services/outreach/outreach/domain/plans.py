"""アウトリーチ plans: submitted to the 重層的支援会議, active once approved there.

A plan is about a case, so the target must be linked to an intake case first. The plan's
content (wishes, goals) stays here; ``PlanSubmitted`` carries ids and dates only.
Status: submitted → active (meetings.PlanApproved) | returned (meetings.PlanReturned);
active → ended (meetings.PlanEnded). A returned plan may be followed by a new one.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from kasane.errors import Conflict, Invalid
from kasane.events.outreach import PlanSubmitted
from kasane.types import IsoDate, NotFuture, Text
from outreach.domain.fields import not_blank

PROGRAM = "outreach"  # our plans among every program's at the 重層的支援会議
OPEN_STATUSES = frozenset({"submitted", "active"})


Goal = Annotated[Text, AfterValidator(not_blank), Field(min_length=1, max_length=1000)]


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    goals: list[Goal] = Field(min_length=1, max_length=20)  # 目標
    wishes: Text | None = Field(default=None, max_length=2000)  # 本人・世帯の思い
    review_on: IsoDate | None = None  # 見直し予定日
    # default: today
    submitted_on: Annotated[IsoDate, NotFuture("提出日", "submitted_on")] | None = None


def check_submittable(
    *, status: str, case_id: UUID | None, open_plans: int, data: PlanIn, today: date
) -> tuple[UUID, date]:
    """The case and submission date of a new plan, or a refusal naming the field."""
    if status != "open":
        raise Conflict("status", "終了した対象です / the outreach has ended")
    if case_id is None:
        raise Conflict(
            "case_id",
            "プランにはケース（case_id）との紐づけが必要 / link the target to a case first",
        )
    if open_plans:
        raise Conflict(
            "plan", "提出中または実施中のプランがあります / a plan is already in progress"
        )
    submitted_on = data.submitted_on or today
    if data.review_on is not None and data.review_on <= submitted_on:
        raise Invalid("review_on", "見直し日は提出日より後 / review_on must follow submission")
    return case_id, submitted_on


def submitted(
    plan_id: UUID, target_id: UUID, case_id: UUID, data: PlanIn, submitted_on: date
) -> PlanSubmitted:
    return PlanSubmitted(
        plan_id=plan_id,
        case_id=case_id,
        program=PROGRAM,
        submitted_on=submitted_on,
        review_on=data.review_on,
        target_id=target_id,
    )


def is_ours(program: str) -> bool:
    """meetings decides plans of every program; only ``outreach`` plans are ours."""
    return program == PROGRAM
