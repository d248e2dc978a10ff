"""議題: a case, a kind and the legal basis that allows discussing it.

Rules: docs/architecture/access-rules.md and domain-rules.md.

- 重層的支援会議 kinds: plan_appropriateness, plan_evaluation, resource_gap; only under a
  valid 本人同意 covering the case (refused with 409 otherwise).
- 支援会議 kinds: information_sharing, watch_policy, urgent_case; legal basis
  ``support_meeting`` (社会福祉法106条の6), no consent needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.errors import Conflict, Invalid
from kasane.reference.agencies import is_known_agency
from kasane.types import Text
from meetings.domain.codes import MULTILAYER_KINDS, SUPPORT_KINDS
from meetings.domain.consent import Consent, refusal_reason, valid_consent
from meetings.domain.meeting import Meeting
from meetings.domain.plans import (
    Plan,
    check_approved,
    check_awaiting_approval,
    plan_not_found,
)

PLAN_KINDS = frozenset({"plan_appropriateness", "plan_evaluation"})


class AgendaItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: UUID
    kind: str
    plan_id: UUID | None = None  # required for plan_appropriateness / plan_evaluation
    summary: Text | None = Field(default=None, max_length=2000)  # 報告内容 (stays here)
    presenting_agency_id: str | None = None  # 報告機関; default: the caller's agency

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in MULTILAYER_KINDS and value not in SUPPORT_KINDS:
            known = ", ".join([*MULTILAYER_KINDS, *SUPPORT_KINDS])
            raise ValueError(f"未知の協議内容 / unknown agenda kind {value!r}; known: {known}")
        return value

    @field_validator("presenting_agency_id")
    @classmethod
    def _known_agency(cls, value: str | None) -> str | None:
        if value is not None and not is_known_agency(value):
            raise ValueError(f"未知の機関 / unknown agency id: {value}")
        return value


@dataclass(frozen=True)
class AgendaItem:
    id: UUID
    meeting_id: UUID
    position: int
    case_id: UUID
    kind: str
    legal_basis: str
    consent_id: UUID | None
    plan_id: UUID | None
    presenting_agency_id: str
    summary: str | None
    source: str  # manual | plan_queue
    decided: bool


@dataclass(frozen=True)
class Basis:
    legal_basis: str  # consent | support_meeting
    consent_id: UUID | None


def kinds_for(meeting_type: str) -> dict[str, str]:
    return dict(MULTILAYER_KINDS if meeting_type == "multilayer_meeting" else SUPPORT_KINDS)


def check_kind(meeting: Meeting, kind: str) -> None:
    allowed = kinds_for(meeting.meeting_type)
    if kind not in allowed:
        raise Invalid(
            "kind",
            f"この会議では扱えない協議内容です / {kind} is not an agenda kind of "
            f"{meeting.meeting_type}; allowed: {', '.join(allowed)}",
        )


def basis_for(meeting: Meeting, consents: Sequence[Consent]) -> Basis:
    """The legal basis for putting the case on this meeting, or 409 ``consent``: judged on
    the meeting day, the day the meeting shares the case (also when minuted later)."""
    if not meeting.is_multilayer:
        return Basis("support_meeting", None)
    day = meeting.meeting_date
    consent = valid_consent(consents, meeting.meeting_type, day, day)
    if consent is None:
        raise Conflict("consent", refusal_reason(consents, meeting.meeting_type, day, day))
    return Basis("consent", consent.consent_id)


def presenter_for(requested: str | None, agency: str, coordinator: bool) -> str:
    """The presenting agency: the caller's own; 社協 may present for another agency."""
    presenter = requested or agency
    if presenter != agency and not coordinator:
        raise Invalid("presenting_agency_id", "報告機関は自機関 / you present for your own agency")
    return presenter


def check_plan(kind: str, case_id: UUID, plan: Plan | None, plan_id: UUID | None) -> None:
    """The plan an item refers to: required by plan kinds, in the right state, same case."""
    if kind in PLAN_KINDS and plan_id is None:
        raise Invalid("plan_id", f"{kind} にはプランの指定が必要 / plan_id is required")
    if plan_id is None:
        return
    if plan is None:
        raise plan_not_found()
    if plan.case_id != case_id:
        raise Invalid("plan_id", "プランのケースが違います / the plan belongs to another case")
    if kind == "plan_appropriateness":
        check_awaiting_approval(plan)
    elif kind == "plan_evaluation":
        check_approved(plan)


def consent_still_valid(
    meeting: Meeting, item: AgendaItem, consents: Sequence[Consent], today: date
) -> bool:
    """Whether the item may still be shared on ``today``: in force on the meeting day and
    today (a withdrawal or expiry since stops it from its date)."""
    if item.legal_basis != "consent":
        return True
    return valid_consent(consents, meeting.meeting_type, meeting.meeting_date, today) is not None


def check_consent_still_valid(
    meeting: Meeting, item: AgendaItem, consents: Sequence[Consent]
) -> None:
    """A decision is the meeting's act: the consent must be in force on the meeting day
    (a withdrawal dated on or before it stops the decision; one dated later does not undo
    what the meeting shared, and intake stops any sharing on it from its date)."""
    day = meeting.meeting_date
    if not consent_still_valid(meeting, item, consents, day):
        raise Conflict("consent", refusal_reason(consents, meeting.meeting_type, day, day))
