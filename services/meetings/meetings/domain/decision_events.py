"""The events a meeting decision publishes (ids, codes and dates only).

Every decision publishes CaseDiscussed with the item's legal basis, the members it shares
the case with and how long (``sharing_ends_on``); a plan decision adds PlanApproved /
PlanReturned / PlanEvaluated, RolesAssigned and PlanEnded; a gap decision ResourceGapRaised.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from kasane.events.envelope import EventContract
from kasane.events.meetings import (
    CaseDiscussed,
    PlanApproved,
    PlanEnded,
    PlanEvaluated,
    PlanReturned,
    ResourceGapRaised,
    RolesAssigned,
)
from meetings.domain.agenda import AgendaItem
from meetings.domain.decisions import ROLE_OUTCOMES, DecisionIn
from meetings.domain.meeting import Meeting
from meetings.domain.plans import Plan
from meetings.domain.roles import RoleIn, assignments


def sharing_ends_on(meeting_day: date, sharing_days: int) -> date:
    """The last day members may read a case on one meeting decision (the city's period,
    ``KASANE_MEETINGS_SHARING_DAYS``); a later decision renews it."""
    return meeting_day + timedelta(days=sharing_days)


def decision_events(
    *,
    meeting: Meeting,
    item: AgendaItem,
    plan: Plan | None,
    body: DecisionIn,
    decision_id: UUID,
    roles: list[RoleIn],
    member_agency_ids: list[str],
    gap_ids: list[UUID],
    sharing_days: int,
) -> list[EventContract]:
    day = meeting.meeting_date
    events: list[EventContract] = [
        CaseDiscussed(
            meeting_id=meeting.id,
            agenda_item_id=item.id,
            case_id=item.case_id,
            meeting_type=meeting.meeting_type,
            kind=item.kind,
            legal_basis=item.legal_basis,
            consent_id=item.consent_id,
            discussed_on=day,
            decision_id=decision_id,
            outcome=body.outcome,
            escalated_to=body.escalate_to,
            next_review_on=body.next_review_on,
            member_agency_ids=member_agency_ids,
            access_until=sharing_ends_on(day, sharing_days),
        )
    ]
    if plan is not None:
        events += _plan_events(meeting, plan, body, roles)
    for gap_id, gap in zip(gap_ids, body.gaps, strict=True):
        events.append(
            ResourceGapRaised(
                gap_id=gap_id,
                meeting_id=meeting.id,
                category_code=gap.category_code,
                school_district_code=gap.school_district_code,
                raised_on=day,
            )
        )
    return events


def _plan_events(
    meeting: Meeting, plan: Plan, body: DecisionIn, roles: list[RoleIn]
) -> list[EventContract]:
    day, program = meeting.meeting_date, plan.program
    ids = {"plan_id": plan.id, "case_id": plan.case_id}
    events: list[EventContract] = []
    if body.outcome == "approve":
        events.append(
            PlanApproved(
                **ids,
                program=program,
                meeting_id=meeting.id,
                approved_on=day,
                review_on=body.next_review_on or plan.review_on,
            )
        )
    elif body.outcome == "return":
        assert body.reason_code is not None
        events.append(
            PlanReturned(
                **ids,
                program=program,
                meeting_id=meeting.id,
                returned_on=day,
                reason_code=body.reason_code,
            )
        )
    elif body.outcome in ("continue", "end"):
        events.append(
            PlanEvaluated(
                **ids,
                program=program,
                meeting_id=meeting.id,
                evaluated_on=day,
                result_code=body.outcome,
            )
        )
    if roles and body.outcome in ROLE_OUTCOMES:
        events.append(
            RolesAssigned(**ids, meeting_id=meeting.id, assigned_on=day, roles=assignments(roles))
        )
    if body.outcome == "end":
        assert body.end_kind is not None and body.reason_code is not None
        events.append(
            PlanEnded(
                **ids,
                program=program,
                ended_on=day,
                end_kind=body.end_kind,
                reason_code=body.reason_code,
                meeting_id=meeting.id,
            )
        )
    return events
