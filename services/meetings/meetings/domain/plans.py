"""プラン: 多機関協働 plans written here by 社協, and every program's plan state.

A plan is drafted (optionally), submitted, queued on the next 重層的支援会議, approved or
returned there; an approved plan is evaluated in a meeting and continues or ends
(終結 completed / 中断 suspended). Content exists only for 多機関協働 plans: for outreach and
participation plans meetings knows the ids and dates from ``PlanSubmitted``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.errors import Conflict, Invalid, NotFound
from kasane.reference.issue_codes import is_valid_issue_code
from kasane.types import IsoDate, Text
from meetings.domain.roles import RoleIn, validated_roles


class PlanIssue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    issue_code: str  # 課題コード (shared reference)
    description: Text | None = Field(default=None, max_length=1000)  # 課題の内容

    @field_validator("issue_code")
    @classmethod
    def _known(cls, value: str) -> str:
        if not is_valid_issue_code(value):
            raise ValueError(f"未知の課題コード / unknown issue code: {value}")
        return value


class PlanContent(BaseModel):
    """What 社協 writes: 本人・世帯の希望, 課題, 長期・短期目標, 役割分担, 見直し時期."""

    model_config = ConfigDict(extra="forbid")

    household_wishes: Text = Field(min_length=1, max_length=2000)
    issues: list[PlanIssue] = Field(min_length=1, max_length=18)
    long_term_goal: Text = Field(min_length=1, max_length=1000)
    short_term_goals: list[str] = Field(min_length=1, max_length=10)
    roles: list[RoleIn] = Field(min_length=1, max_length=30)
    review_on: IsoDate

    @field_validator("short_term_goals")
    @classmethod
    def _goals_not_blank(cls, value: list[str]) -> list[str]:
        if any(not g.strip() or len(g) > 500 for g in value):
            raise ValueError("短期目標は1〜500文字 / each short-term goal: 1–500 characters")
        return value

    @field_validator("issues")
    @classmethod
    def _issues_unique(cls, value: list[PlanIssue]) -> list[PlanIssue]:
        codes = [i.issue_code for i in value]
        if len(codes) != len(set(codes)):
            raise ValueError("課題コードが重複しています / duplicate issue codes")
        return value

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[RoleIn]) -> list[RoleIn]:
        return validated_roles(value)


class PlanIn(PlanContent):
    case_id: UUID
    submit: bool = True  # False keeps it a draft


@dataclass(frozen=True)
class Plan:
    id: UUID
    case_id: UUID
    program: str
    status: str  # draft | submitted | approved | returned | ended
    submitted_on: IsoDate | None
    review_on: IsoDate | None
    approved_on: IsoDate | None
    content: dict[str, Any] | None
    goal_codes: list[str] | None = None  # another program's goals as codes (参加支援の段階)

    @property
    def roles(self) -> list[RoleIn]:
        if not self.content:
            return []
        return [RoleIn.model_validate(r) for r in self.content.get("roles", [])]


def plan_not_found() -> NotFound:
    """The one answer for a plan that is missing or not shown to the caller."""
    return NotFound("plan_id", "プランが見つかりません / plan not found")


def check_content_date(content: PlanContent, today: date) -> None:
    if content.review_on <= today:
        raise Invalid("review_on", "見直し時期は今日より後 / review_on must be in the future")


def check_revisable(plan: Plan) -> None:
    if plan.program != "multiagency":
        raise Conflict("plan_id", "他事業のプランはその事業で修正 / edit it in its own program")
    if plan.status not in ("draft", "returned"):
        raise Conflict(
            "plan_id",
            f"下書きか差戻しのプランのみ修正可 / only draft or returned plans (is {plan.status})",
        )


def check_submittable(plan: Plan, today: date) -> None:
    """Only a draft or returned 多機関協働 plan, and only with a review date still ahead."""
    check_revisable(plan)
    if plan.review_on is not None and plan.review_on <= today:
        raise Invalid("review_on", "見直し時期が過ぎています / revise review_on first")


def check_awaiting_approval(plan: Plan) -> None:
    if plan.status != "submitted":
        raise Conflict(
            "plan_id",
            "承認待ちのプランではありません / the plan is not awaiting approval"
            f" (is {plan.status})",
        )


def check_approved(plan: Plan) -> None:
    if plan.status == "ended":
        raise Conflict("plan_id", "プランは終了しています / the plan has already ended")
    if plan.status != "approved" or plan.approved_on is None:
        raise Conflict(
            "plan_id",
            "承認されていないプランは評価できません / the plan was never approved"
            f" (is {plan.status})",
        )


def accepts_submission(status: str | None) -> bool:
    """A ``PlanSubmitted`` event (re)queues a plan unless it is waiting already or ended."""
    return status in (None, "draft", "returned", "approved")
