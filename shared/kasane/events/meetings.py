"""Contracts published by meetings (多機関協働事業) on ``kasane.meetings.v1``.

Key: case_id where the event is about a case; the meeting or gap id otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from kasane.events.envelope import EventContract
from kasane.events.plans import PlanSubmittedBase
from kasane.events.types import (
    AgencyId,
    Code,
    LegalBasis,
    MeetingType,
    PlanEndKind,
    Program,
    SchoolDistrictCode,
)


class MeetingScheduled(EventContract):
    event_type: ClassVar[str] = "meetings.MeetingScheduled"

    meeting_id: UUID
    meeting_type: MeetingType
    scheduled_on: date
    fiscal_year: int
    ad_hoc: bool = False  # 臨時
    holiday: bool = False  # the 4th Wednesday was a public holiday; date was moved

    def partition_key(self) -> str:
        return str(self.meeting_id)


class MeetingHeld(EventContract):
    event_type: ClassVar[str] = "meetings.MeetingHeld"

    meeting_id: UUID
    meeting_type: MeetingType
    held_on: date
    participant_agency_ids: list[AgencyId] = Field(default_factory=list)
    items_discussed: int = Field(ge=0)

    def partition_key(self) -> str:
        return str(self.meeting_id)


# v1 of CaseDiscussed had no end to the sharing it granted. Read as v2, it ends this many
# days after the meeting: the city's default period when v2 was introduced.
V1_SHARING_DAYS = 90


def _case_discussed_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    discussed_on = date.fromisoformat(str(payload["discussed_on"]))
    until = discussed_on + timedelta(days=V1_SHARING_DAYS)
    return {**payload, "access_until": until.isoformat()}


class CaseDiscussed(EventContract):
    """One agenda item discussed, with the legal basis that allowed the sharing.

    v2 (issue 12): ``access_until``, the last day the members listed may read the case on
    this decision (intake's grant ends then, or earlier at case closure or when the case's
    plan ends); a later decision on the case renews it. v1 payloads are upcast with
    ``discussed_on + 90 days``.
    """

    event_type: ClassVar[str] = "meetings.CaseDiscussed"
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {
        1: _case_discussed_v1_to_v2
    }

    meeting_id: UUID
    agenda_item_id: UUID
    case_id: UUID
    meeting_type: MeetingType
    kind: Code  # plan_appropriateness, information_sharing, ...
    legal_basis: LegalBasis
    consent_id: UUID | None = None
    discussed_on: date
    # What the meeting decided on the item (optional, added with the meetings issue): the
    # decision's id (cited by referral/participation as the meeting decision), its outcome
    # code (approve, return, continue, end, gap, share, watch, urgent_action, escalate), the
    # program the case was escalated to, and the next review date.
    decision_id: UUID | None = None
    outcome: Code | None = None
    escalated_to: Program | None = None
    next_review_on: date | None = None
    # Agencies the item was shared with (支援会議: members admitted by 社協 with a pledge for
    # the fiscal year; 重層的支援会議: members the consent names, the 主担当, the presenter).
    # intake lets them read the case for this item until ``access_until``.
    member_agency_ids: list[AgencyId] = Field(default_factory=list)
    access_until: date


class PlanSubmitted(PlanSubmittedBase):
    """A 多機関協働 plan written by 社協, handed to the next 重層的支援会議."""

    event_type: ClassVar[str] = "meetings.PlanSubmitted"


class PlanApproved(EventContract):
    """Counts as プラン作成 in the fiscal year of ``approved_on`` (see domain-rules.md)."""

    event_type: ClassVar[str] = "meetings.PlanApproved"

    plan_id: UUID
    case_id: UUID
    program: Program
    meeting_id: UUID
    approved_on: date
    review_on: date | None = None


class PlanReturned(EventContract):
    event_type: ClassVar[str] = "meetings.PlanReturned"

    plan_id: UUID
    case_id: UUID
    program: Program
    meeting_id: UUID
    returned_on: date
    reason_code: Code


class RoleAssignment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    agency_id: AgencyId
    role_code: Code
    lead: bool = False  # 主担当


class RolesAssigned(EventContract):
    """The plan's roles in force from this decision: the complete set, not a delta.

    Listed agencies work the case (intake grants access); agencies of the plan that are
    no longer listed lose that access.
    """

    event_type: ClassVar[str] = "meetings.RolesAssigned"

    plan_id: UUID
    case_id: UUID
    meeting_id: UUID
    assigned_on: date
    roles: list[RoleAssignment] = Field(min_length=1)


class PlanEvaluated(EventContract):
    event_type: ClassVar[str] = "meetings.PlanEvaluated"

    plan_id: UUID
    case_id: UUID
    program: Program
    meeting_id: UUID
    evaluated_on: date
    result_code: Code  # e.g. "continue", "end"


class PlanEnded(EventContract):
    """終結 or 中断; role-based access granted by the plan ends with it."""

    event_type: ClassVar[str] = "meetings.PlanEnded"

    plan_id: UUID
    case_id: UUID
    program: Program
    ended_on: date
    end_kind: PlanEndKind
    reason_code: Code
    meeting_id: UUID | None = None  # the meeting that decided the end (optional, added later)


class ResourceGapRaised(EventContract):
    """社会資源の不足 raised in a meeting (for 社会資源の開発)."""

    event_type: ClassVar[str] = "meetings.ResourceGapRaised"

    gap_id: UUID
    meeting_id: UUID
    category_code: Code
    school_district_code: SchoolDistrictCode | None = None
    raised_on: date

    def partition_key(self) -> str:
        return str(self.gap_id)


CONTRACTS: tuple[type[EventContract], ...] = (
    MeetingScheduled,
    MeetingHeld,
    CaseDiscussed,
    PlanSubmitted,
    PlanApproved,
    PlanReturned,
    RolesAssigned,
    PlanEvaluated,
    PlanEnded,
    ResourceGapRaised,
)
