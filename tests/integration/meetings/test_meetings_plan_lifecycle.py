"""A 多機関協働 plan's life on the real stack: written, queued on the next 重層的支援会議,
approved with roles (PlanApproved with its date, RolesAssigned), read by the assigned
agency and not by a stranger, evaluated later and ended (PlanEvaluated, PlanEnded)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import table_count
from tests.integration.meetings.support import (
    SHAKYO,
    Auth,
    ad_hoc,
    add_item,
    consent,
    fetchval,
    meetings_events,
    plan_body,
    wait_events,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]

# The consent names the agencies it allows: others are strangers to this case.
CONSENTED = ("shakyo", "jiritsu", "houkatsu-03")


async def test_plan_approved_roles_assigned_then_evaluated_and_ended(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    await consent(
        settings, meetings, case_id, consented_on=today - timedelta(days=7), agencies=CONSENTED
    )

    # 社協 writes the plan; it queues itself on the next 重層的支援会議.
    created = await meetings.client.post(
        "/plans", json=plan_body(case_id, today + timedelta(days=90)), headers=auth(*SHAKYO)
    )
    assert created.status_code == 201, created.text
    plan = created.json()
    plan_id = plan["plan_id"]
    assert plan["status"] == "submitted" and plan["queued_meeting_id"] == meeting
    [submitted] = await wait_events(settings, str(case_id), "meetings.PlanSubmitted")
    assert submitted["payload"]["program"] == "multiagency"
    assert "household_wishes" not in submitted["payload"]

    # Before approval: kodomo is outside the consent, aso has no role yet.
    for agency in ("kodomo", "aso"):
        hidden = await meetings.client.get(f"/plans/{plan_id}", headers=auth(agency, "coordinator"))
        assert hidden.status_code == 404, agency
    seen = await meetings.client.get(f"/plans/{plan_id}", headers=auth("jiritsu", "counselor"))
    assert seen.status_code == 200 and seen.json()["access_basis"] == "consent"
    assert seen.json()["content"]["household_wishes"].startswith("母の介護")

    # The meeting approves it and decides the roles (主担当: 包括第3).
    detail = await meetings.client.get(f"/meetings/{meeting}", headers=auth(*SHAKYO))
    [item] = [i for i in detail.json()["items"] if i["plan_id"] == plan_id]
    decided = await meetings.client.post(
        f"/meetings/{meeting}/decisions",
        json={
            "agenda_item_id": item["agenda_item_id"],
            "outcome": "approve",
            "minutes": "プランは適切。包括が主担当、アソウが居場所を紹介。",
            "roles": [
                {"agency_id": "houkatsu-03", "role_code": "elderly_care", "lead": True},
                {"agency_id": "aso", "role_code": "participation"},
            ],
            "next_review_on": (today + timedelta(days=60)).isoformat(),
        },
        headers=auth(*SHAKYO),
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["events"] == [
        "meetings.CaseDiscussed",
        "meetings.PlanApproved",
        "meetings.RolesAssigned",
    ]
    [approved] = await wait_events(settings, str(case_id), "meetings.PlanApproved")
    assert approved["payload"]["approved_on"] == today.isoformat()
    assert approved["payload"]["program"] == "multiagency"
    assert approved["payload"]["meeting_id"] == meeting
    [roles] = await wait_events(settings, str(case_id), "meetings.RolesAssigned")
    assert roles["payload"]["roles"] == [
        {"agency_id": "houkatsu-03", "role_code": "elderly_care", "lead": True},
        {"agency_id": "aso", "role_code": "participation", "lead": False},
    ]
    [discussed] = await meetings_events(settings, str(case_id), "meetings.CaseDiscussed")
    assert discussed["payload"]["legal_basis"] == "consent"
    assert discussed["payload"]["member_agency_ids"] == sorted(CONSENTED)

    # The assigned agency now reads the plan; a stranger still cannot.
    assigned = await meetings.client.get(f"/plans/{plan_id}", headers=auth("aso", "coordinator"))
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["access_basis"] == "plan_role"
    assert assigned.json()["status"] == "approved"
    assert assigned.json()["approved_on"] == today.isoformat()
    stranger = await meetings.client.get(f"/plans/{plan_id}", headers=auth("kodomo", "counselor"))
    assert stranger.status_code == 404
    city = await meetings.client.get(
        f"/plans/{plan_id}", headers=auth("city-chiiki-fukushi", "city_official")
    )
    assert city.status_code == 403

    # Later: end-of-plan evaluation at a 重層的支援会議 → 中断 (moved away).
    later = day()
    review = await ad_hoc(meetings, auth, "multilayer_meeting", later)
    added = await add_item(meetings, auth, review, case_id, "plan_evaluation", plan_id=plan_id)
    assert added.status_code == 201, added.text
    evaluated = await meetings.client.post(
        f"/plans/{plan_id}/evaluation",
        json={
            "meeting_id": review,
            "result": "end",
            "end_kind": "suspended",
            "reason_code": "moved",
            "evaluation": "市外へ転居したため中断。転居先の窓口へ引継ぎ済み。",
        },
        headers=auth(*SHAKYO),
    )
    assert evaluated.status_code == 201, evaluated.text
    assert evaluated.json()["plan_status"] == "ended"
    [evaluation] = await wait_events(settings, str(case_id), "meetings.PlanEvaluated")
    assert evaluation["payload"]["result_code"] == "end"
    assert evaluation["payload"]["evaluated_on"] == later.isoformat()
    [ended] = await wait_events(settings, str(case_id), "meetings.PlanEnded")
    assert ended["payload"]["end_kind"] == "suspended"
    assert ended["payload"]["reason_code"] == "moved"
    assert ended["payload"]["ended_on"] == later.isoformat()

    # The role granted by the plan ended with it.
    after = await meetings.client.get(f"/plans/{plan_id}", headers=auth("aso", "coordinator"))
    assert after.status_code == 404
    final = await meetings.client.get(f"/plans/{plan_id}", headers=auth(*SHAKYO))
    assert final.json()["status"] == "ended" and final.json()["roles"] == []
    assert [d["outcome"] for d in final.json()["decisions"]] == ["approve", "end"]

    # Every read of the plan is on the access record, denials included.
    audited = await fetchval(
        meetings.dsn,
        "SELECT count(*) FROM access_audit WHERE record_type = 'plan' AND record_id = $1"
        " AND action = 'read' AND outcome = 'denied'",
        plan_id,
    )
    assert audited >= 4


async def test_a_returned_plan_is_revised_and_submitted_again(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    await consent(settings, meetings, case_id, consented_on=today)
    body = plan_body(case_id, today + timedelta(days=90))
    draft = await meetings.client.post(
        "/plans", json={**body, "submit": False}, headers=auth(*SHAKYO)
    )
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    assert draft.json()["queued_meeting_id"] is None
    plan_id = draft.json()["plan_id"]
    submitted = await meetings.client.post(f"/plans/{plan_id}/submit", headers=auth(*SHAKYO))
    assert submitted.status_code == 200 and submitted.json()["queued_meeting_id"] == meeting
    item_id = submitted.json()["agenda_item_id"]

    returned = await meetings.client.post(
        f"/meetings/{meeting}/decisions",
        json={"agenda_item_id": item_id, "outcome": "return", "reason_code": "goals_unclear"},
        headers=auth(*SHAKYO),
    )
    assert returned.status_code == 201, returned.text
    [event] = await wait_events(settings, str(case_id), "meetings.PlanReturned")
    assert event["payload"]["reason_code"] == "goals_unclear"

    revised_body = {k: v for k, v in body.items() if k != "case_id"}
    revised_body["short_term_goals"] = ["週1回、母のデイサービス利用", "息子と月1回面談"]
    revised = await meetings.client.put(
        f"/plans/{plan_id}", json=revised_body, headers=auth(*SHAKYO)
    )
    assert revised.status_code == 200, revised.text
    next_meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today + timedelta(days=1))
    again = await meetings.client.post(f"/plans/{plan_id}/submit", headers=auth(*SHAKYO))
    assert again.status_code == 200 and again.json()["queued_meeting_id"] == next_meeting
    read = await meetings.client.get(f"/plans/{plan_id}", headers=auth(*SHAKYO))
    assert read.json()["version"] == 2
    assert read.json()["content"]["short_term_goals"][0].startswith("週1回")
    # An approved or submitted plan is not edited in place.
    refused = await meetings.client.put(
        f"/plans/{plan_id}", json=revised_body, headers=auth(*SHAKYO)
    )
    assert refused.status_code == 409


async def test_bad_plan_is_422_and_nothing_is_written(
    meetings: RunningService, auth: Auth, day: Day
) -> None:
    today = day()
    before = (await table_count(meetings.dsn, "plans"), await table_count(meetings.dsn, "outbox"))
    body = plan_body(uuid7(), today + timedelta(days=30))
    body["roles"] = [{"agency_id": "aso", "role_code": "participation"}]  # no 主担当
    response = await meetings.client.post("/plans", json=body, headers=auth(*SHAKYO))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "roles"
    past = plan_body(uuid7(), today)
    response = await meetings.client.post("/plans", json=past, headers=auth(*SHAKYO))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "review_on"
    other = await meetings.client.post(
        "/plans",
        json=plan_body(uuid7(), today + timedelta(days=30)),
        headers=auth("jiritsu", "coordinator"),
    )
    assert other.status_code == 403
    after = (await table_count(meetings.dsn, "plans"), await table_count(meetings.dsn, "outbox"))
    assert after == before
