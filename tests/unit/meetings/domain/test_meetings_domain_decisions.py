"""meetings.domain.decisions: which decisions fit which item, and the events they imply."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kasane.errors import DomainError
from kasane.events.meetings import (
    CaseDiscussed,
    PlanApproved,
    PlanEnded,
    PlanEvaluated,
    PlanReturned,
    ResourceGapRaised,
    RolesAssigned,
)
from kasane.ids import uuid7
from meetings.domain.decision_events import decision_events
from meetings.domain.decisions import (
    OUTCOMES_BY_KIND,
    DecisionIn,
    EvaluationIn,
    check_decision,
    decided_roles,
    plan_change,
)

Factory = Callable[..., Any]
DAY = date(2025, 8, 27)


def body(outcome: str, **fields: Any) -> DecisionIn:
    return DecisionIn.model_validate({"agenda_item_id": str(uuid7()), "outcome": outcome, **fields})


def refusal(meeting: Any, item: Any, plan: Any, decision: DecisionIn) -> tuple[int, str]:
    with pytest.raises(DomainError) as info:
        check_decision(meeting, item, plan, decision)
    return info.value.status, info.value.field


def events_of(meeting: Any, item: Any, plan: Any, decision: DecisionIn) -> list[Any]:
    return decision_events(
        meeting=meeting,
        item=item,
        plan=plan,
        body=decision,
        decision_id=uuid7(),
        roles=decided_roles(decision, plan) if decision.outcome in ("approve", "continue") else [],
        member_agency_ids=["jiritsu", "shakyo"],
        gap_ids=[uuid7() for _ in decision.gaps],
        sharing_days=90,
    )


def test_every_kind_has_outcomes() -> None:
    assert set(OUTCOMES_BY_KIND) == {
        "plan_appropriateness",
        "plan_evaluation",
        "resource_gap",
        "information_sharing",
        "watch_policy",
        "urgent_case",
    }


def test_outcome_must_fit_the_item(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    plan = make_plan()
    item = make_item(plan_id=plan.id)
    assert refusal(make_meeting(), item, plan, body("share")) == (422, "outcome")


def test_one_decision_per_item(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    plan = make_plan()
    item = make_item(plan_id=plan.id, decided=True)
    assert refusal(make_meeting(), item, plan, body("approve")) == (409, "agenda_item_id")


def test_approve_publishes_discussed_approved_and_roles_from_the_plan(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    meeting, plan = make_meeting(), make_plan()
    item = make_item(plan_id=plan.id, case_id=plan.case_id)
    decision = body("approve", minutes="承認。")
    check_decision(meeting, item, plan, decision)
    events = events_of(meeting, item, plan, decision)
    assert [type(e) for e in events] == [CaseDiscussed, PlanApproved, RolesAssigned]
    discussed, approved, roles = events
    assert discussed.legal_basis == "consent" and discussed.outcome == "approve"
    assert discussed.member_agency_ids == ["jiritsu", "shakyo"]
    assert approved.approved_on == DAY and approved.program == "multiagency"
    assert approved.review_on == plan.review_on
    assert [(r.agency_id, r.lead) for r in roles.roles] == [("houkatsu-03", True), ("aso", False)]
    # The narrative ("tasks") stays in meetings.
    assert "tasks" not in roles.model_dump_json()
    change = plan_change(meeting, plan, decision)
    assert change is not None and change.status == "approved" and change.approved_on == DAY


def test_approve_with_decided_roles_and_review(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    meeting, plan = make_meeting(), make_plan(program="outreach", content=None)
    item = make_item(plan_id=plan.id, case_id=plan.case_id)
    decision = body(
        "approve",
        roles=[{"agency_id": "shakyo", "role_code": "outreach", "lead": True}],
        next_review_on="2025-12-01",
    )
    check_decision(meeting, item, plan, decision)
    events = events_of(meeting, item, plan, decision)
    approved = next(e for e in events if isinstance(e, PlanApproved))
    assert approved.program == "outreach" and approved.review_on == date(2025, 12, 1)
    assert next(e for e in events if isinstance(e, RolesAssigned)).roles[0].agency_id == "shakyo"


def test_outreach_plan_without_roles_assigns_none(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    meeting, plan = make_meeting(), make_plan(program="participation", content=None)
    item = make_item(plan_id=plan.id, case_id=plan.case_id)
    events = events_of(meeting, item, plan, body("approve"))
    assert [type(e) for e in events] == [CaseDiscussed, PlanApproved]


@pytest.mark.parametrize(
    ("roles", "field"),
    [
        ([{"agency_id": "aso", "role_code": "participation"}], "roles"),  # no lead
        (
            [
                {"agency_id": "aso", "role_code": "participation", "lead": True},
                {"agency_id": "jiritsu", "role_code": "livelihood", "lead": True},
            ],
            "roles",
        ),
    ],
)
def test_roles_need_exactly_one_lead(
    make_meeting: Factory, make_item: Factory, make_plan: Factory, roles: Any, field: str
) -> None:
    plan = make_plan()
    item = make_item(plan_id=plan.id)
    assert refusal(make_meeting(), item, plan, body("approve", roles=roles)) == (422, field)


def test_return_needs_a_known_reason(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    meeting, plan = make_meeting(), make_plan()
    item = make_item(plan_id=plan.id, case_id=plan.case_id)
    assert refusal(meeting, item, plan, body("return")) == (422, "reason_code")
    assert refusal(meeting, item, plan, body("return", reason_code="nope")) == (422, "reason_code")
    decision = body("return", reason_code="goals_unclear")
    check_decision(meeting, item, plan, decision)
    events = events_of(meeting, item, plan, decision)
    assert [type(e) for e in events] == [CaseDiscussed, PlanReturned]
    assert events[1].reason_code == "goals_unclear" and events[1].returned_on == DAY


def test_a_plan_not_awaiting_approval_cannot_be_approved(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    plan = make_plan(status="approved", approved_on=date(2025, 7, 23))
    item = make_item(plan_id=plan.id)
    assert refusal(make_meeting(), item, plan, body("approve")) == (409, "plan_id")


def test_evaluation_of_a_plan_never_approved_is_refused(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    plan = make_plan(status="submitted")
    item = make_item(kind="plan_evaluation", plan_id=plan.id)
    decision = body("end", end_kind="completed", reason_code="goals_achieved")
    assert refusal(make_meeting(), item, plan, decision) == (409, "plan_id")


def test_end_needs_kind_and_a_reason_of_that_kind(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    meeting = make_meeting()
    plan = make_plan(status="approved", approved_on=date(2025, 5, 28))
    item = make_item(kind="plan_evaluation", plan_id=plan.id, case_id=plan.case_id)
    assert refusal(meeting, item, plan, body("end", reason_code="moved")) == (422, "end_kind")
    wrong_kind = body("end", end_kind="completed", reason_code="moved")  # 転居 is a 中断 reason
    assert refusal(meeting, item, plan, wrong_kind) == (422, "reason_code")
    decision = body("end", end_kind="suspended", reason_code="moved", evaluation="転居のため")
    check_decision(meeting, item, plan, decision)
    events = events_of(meeting, item, plan, decision)
    assert [type(e) for e in events] == [CaseDiscussed, PlanEvaluated, PlanEnded]
    evaluated, ended = events[1], events[2]
    assert evaluated.result_code == "end"
    assert (ended.end_kind, ended.reason_code, ended.ended_on) == ("suspended", "moved", DAY)
    assert ended.meeting_id == meeting.id
    change = plan_change(meeting, plan, decision)
    assert change is not None and change.status == "ended" and change.end_kind == "suspended"


def test_continue_may_reassign_roles(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    meeting = make_meeting()
    plan = make_plan(status="approved", approved_on=date(2025, 5, 28))
    item = make_item(kind="plan_evaluation", plan_id=plan.id, case_id=plan.case_id)
    decision = body(
        "continue",
        next_review_on="2026-02-01",
        roles=[{"agency_id": "jiritsu", "role_code": "livelihood", "lead": True}],
    )
    check_decision(meeting, item, plan, decision)
    events = events_of(meeting, item, plan, decision)
    assert [type(e) for e in events] == [CaseDiscussed, PlanEvaluated, RolesAssigned]
    assert events[1].result_code == "continue"
    change = plan_change(meeting, plan, decision)
    assert change is not None and change.status == "approved"
    assert change.review_on == date(2026, 2, 1)


def test_roles_only_with_approve_or_continue(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    plan = make_plan()
    item = make_item(plan_id=plan.id)
    decision = body(
        "return",
        reason_code="other",
        roles=[{"agency_id": "aso", "role_code": "participation", "lead": True}],
    )
    assert refusal(make_meeting(), item, plan, decision) == (422, "roles")


def test_review_date_after_the_meeting(
    make_meeting: Factory, make_item: Factory, make_plan: Factory
) -> None:
    plan = make_plan()
    item = make_item(plan_id=plan.id)
    assert refusal(make_meeting(), item, plan, body("approve", next_review_on="2025-08-27")) == (
        422,
        "next_review_on",
    )


def test_gaps_on_resource_gap_items(make_meeting: Factory, make_item: Factory) -> None:
    meeting = make_meeting()
    item = make_item(kind="resource_gap")
    assert refusal(meeting, item, None, body("gap")) == (422, "gaps")
    decision = body("gap", gaps=[{"category_code": "ibasho", "school_district_code": "03"}])
    check_decision(meeting, item, None, decision)
    events = events_of(meeting, item, None, decision)
    assert [type(e) for e in events] == [CaseDiscussed, ResourceGapRaised]
    assert events[1].category_code == "ibasho" and events[1].raised_on == DAY


def test_no_gaps_at_a_support_meeting(make_meeting: Factory, make_item: Factory) -> None:
    meeting = make_meeting(meeting_type="support_meeting")
    item = make_item(kind="watch_policy", legal_basis="support_meeting", consent_id=None)
    decision = body("watch", gaps=[{"category_code": "watch"}])
    assert refusal(meeting, item, None, decision) == (422, "gaps")


def test_support_meeting_escalation(make_meeting: Factory, make_item: Factory) -> None:
    meeting = make_meeting(meeting_type="support_meeting")
    item = make_item(kind="urgent_case", legal_basis="support_meeting", consent_id=None)
    assert refusal(meeting, item, None, body("escalate")) == (422, "escalate_to")
    decision = body("escalate", escalate_to="outreach")
    check_decision(meeting, item, None, decision)
    [discussed] = events_of(meeting, item, None, decision)
    assert isinstance(discussed, CaseDiscussed)
    assert discussed.legal_basis == "support_meeting" and discussed.consent_id is None
    assert discussed.escalated_to == "outreach"


def test_reason_only_for_return_or_end(make_meeting: Factory, make_item: Factory) -> None:
    meeting = make_meeting(meeting_type="support_meeting")
    item = make_item(kind="information_sharing", legal_basis="support_meeting", consent_id=None)
    assert refusal(meeting, item, None, body("share", reason_code="other")) == (422, "reason_code")


def test_evaluation_body_becomes_a_decision() -> None:
    evaluation = EvaluationIn.model_validate(
        {
            "meeting_id": str(uuid7()),
            "result": "end",
            "end_kind": "completed",
            "reason_code": "goals_achieved",
            "evaluation": "目標を達成",
        }
    )
    item_id = uuid7()
    decision = evaluation.as_decision(item_id)
    assert decision.agenda_item_id == item_id and decision.outcome == "end"
    assert decision.end_kind == "completed" and decision.evaluation == "目標を達成"
