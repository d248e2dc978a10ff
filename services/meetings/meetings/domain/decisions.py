"""決定事項: what a meeting decides on one agenda item (its events: ``decision_events``).

One decision per item. By agenda kind:
- plan_appropriateness: ``approve`` (PlanApproved with the approval date = meeting day,
  RolesAssigned when roles are decided or the plan has them) or ``return`` (PlanReturned);
- plan_evaluation: ``continue`` (PlanEvaluated, optional new roles) or ``end``
  (PlanEvaluated + PlanEnded, 終結 completed or 中断 suspended, with a reason);
- resource_gap: ``gap`` (ResourceGapRaised for each gap);
- 支援会議 kinds: ``share``, ``watch``, ``urgent_action`` or ``escalate`` (to a program).
Every decision also publishes CaseDiscussed with the item's legal basis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from kasane.errors import Conflict, Invalid
from kasane.events.types import Program
from kasane.reference import program_codes
from kasane.types import IsoDate, Text
from meetings.domain.agenda import AgendaItem
from meetings.domain.codes import END_REASONS, RETURN_REASONS
from meetings.domain.gaps import GapIn
from meetings.domain.meeting import Meeting
from meetings.domain.plans import Plan, check_approved, check_awaiting_approval
from meetings.domain.roles import RoleIn, roles_problem

Outcome = Literal[
    "approve", "return", "continue", "end", "gap", "share", "watch", "urgent_action", "escalate"
]

# Which decisions fit an agenda kind (kasane.reference.program_codes, shared with the portal).
OUTCOMES_BY_KIND: dict[str, frozenset[str]] = {
    kind: frozenset(outcomes) for kind, outcomes in program_codes.meeting_outcomes_by_kind().items()
}
ROLE_OUTCOMES = frozenset({"approve", "continue"})
_REVIEW_OUTCOMES = frozenset({"approve", "continue", "share", "watch", "urgent_action"})


class DecisionFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minutes: Text | None = Field(default=None, max_length=4000)  # 議事録 (stays here)
    reason_code: str | None = None  # return: 差戻し理由; end: 終了理由
    end_kind: Literal["completed", "suspended"] | None = None  # 終結 / 中断
    evaluation: Text | None = Field(default=None, max_length=4000)  # 評価 (stays here)
    roles: list[RoleIn] | None = None  # 役割分担 decided now
    next_review_on: IsoDate | None = None
    escalate_to: Program | None = None
    gaps: list[GapIn] = Field(default_factory=list, max_length=20)


class DecisionIn(DecisionFields):
    agenda_item_id: UUID
    outcome: Outcome


class EvaluationIn(DecisionFields):
    """``POST /plans/{id}/evaluation``: the plan_evaluation item of ``meeting_id``."""

    meeting_id: UUID
    result: Literal["continue", "end"]

    def as_decision(self, agenda_item_id: UUID) -> DecisionIn:
        fields = self.model_dump(exclude={"meeting_id", "result"})
        return DecisionIn(agenda_item_id=agenda_item_id, outcome=self.result, **fields)


def check_decision(meeting: Meeting, item: AgendaItem, plan: Plan | None, body: DecisionIn) -> None:
    """Every rule that refuses a decision, checked before anything is written."""
    if item.decided:
        raise Conflict("agenda_item_id", "この議題は決定済みです / the item is already decided")
    allowed = OUTCOMES_BY_KIND[item.kind]
    if body.outcome not in allowed:
        raise Invalid(
            "outcome",
            f"{item.kind} の決定は {', '.join(sorted(allowed))} のいずれか / "
            f"outcome {body.outcome!r} does not fit the item",
        )
    if body.outcome in ("approve", "return"):
        assert plan is not None  # plan kinds always carry a plan (checked when added)
        check_awaiting_approval(plan)
    if body.outcome in ("continue", "end"):
        assert plan is not None
        check_approved(plan)
    _check_reason(body)
    _check_roles(body)
    _check_review(meeting, body)
    _check_escalation_and_gaps(meeting, body)


def _check_review(meeting: Meeting, body: DecisionIn) -> None:
    if body.next_review_on is None:
        return
    if body.outcome not in _REVIEW_OUTCOMES:
        raise Invalid("next_review_on", "この決定には見直し日はありません / not for this outcome")
    if body.next_review_on <= meeting.meeting_date:
        raise Invalid("next_review_on", "見直し日は会議日より後 / must be after the meeting day")


def _check_escalation_and_gaps(meeting: Meeting, body: DecisionIn) -> None:
    if body.outcome == "escalate" and body.escalate_to is None:
        raise Invalid("escalate_to", "つなぎ先の事業が必要 / escalate_to is required")
    if body.gaps and not meeting.is_multilayer:
        raise Invalid(
            "gaps", "社会資源の不足は重層的支援会議で扱います / gaps belong to 重層的支援会議"
        )
    if body.outcome == "gap" and not body.gaps:
        raise Invalid("gaps", "不足する社会資源を1件以上 / at least one gap is required")


def _check_reason(body: DecisionIn) -> None:
    if body.outcome == "return":
        if body.reason_code not in RETURN_REASONS:
            raise Invalid(
                "reason_code",
                f"差戻し理由は {', '.join(RETURN_REASONS)} のいずれか / return reason required",
            )
    elif body.outcome == "end":
        if body.end_kind is None:
            raise Invalid(
                "end_kind", "終結(completed)か中断(suspended)を指定 / end_kind is required"
            )
        reasons = END_REASONS[body.end_kind]
        if body.reason_code not in reasons:
            raise Invalid(
                "reason_code",
                f"{body.end_kind} の理由は {', '.join(reasons)} のいずれか / end reason required",
            )
    else:
        if body.reason_code is not None:
            raise Invalid("reason_code", "理由は差戻し・終了の時のみ / only for return or end")
        if body.end_kind is not None:
            raise Invalid("end_kind", "終了の種類は end の時のみ / only for end")


def _check_roles(body: DecisionIn) -> None:
    if body.roles is None:
        return
    if body.outcome not in ROLE_OUTCOMES:
        raise Invalid(
            "roles", "役割分担は承認・継続の時に決定 / roles only with approve or continue"
        )
    problem = roles_problem(body.roles)
    if problem:
        raise Invalid("roles", problem)


def decided_roles(body: DecisionIn, plan: Plan | None) -> list[RoleIn]:
    """Roles the decision assigns: as decided, else (on approval) those the plan proposes."""
    if body.roles is not None:
        return body.roles
    if body.outcome == "approve" and plan is not None:
        return plan.roles
    return []


@dataclass(frozen=True)
class PlanChange:
    """What the decision does to the plan's state (None fields: unchanged)."""

    status: str
    approved_on: IsoDate | None = None
    approved_meeting_id: UUID | None = None
    returned_on: IsoDate | None = None
    return_reason_code: str | None = None
    review_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    end_kind: str | None = None
    end_reason_code: str | None = None


def plan_change(meeting: Meeting, plan: Plan, body: DecisionIn) -> PlanChange | None:
    day = meeting.meeting_date
    if body.outcome == "approve":
        return PlanChange(
            status="approved",
            approved_on=day,
            approved_meeting_id=meeting.id,
            review_on=body.next_review_on or plan.review_on,
        )
    if body.outcome == "return":
        return PlanChange(status="returned", returned_on=day, return_reason_code=body.reason_code)
    if body.outcome == "continue":
        return PlanChange(status="approved", review_on=body.next_review_on or plan.review_on)
    if body.outcome == "end":
        return PlanChange(
            status="ended", ended_on=day, end_kind=body.end_kind, end_reason_code=body.reason_code
        )
    return None
