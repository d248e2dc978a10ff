"""Bad decisions on the real stack: 4xx with the reason, nothing partially written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

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
    plan_body,
    wait_events,
    withdraw,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]
TABLES = ("decisions", "plans", "plan_roles", "resource_gaps", "outbox", "meetings")


async def _writes(meetings: RunningService) -> dict[str, int]:
    return {t: await table_count(meetings.dsn, t) for t in TABLES}


async def _decide(meetings: RunningService, auth: Auth, meeting: str, **body: Any) -> Any:
    return await meetings.client.post(
        f"/meetings/{meeting}/decisions", json=body, headers=auth(*SHAKYO)
    )


async def _queued_plan(
    meetings: RunningService, auth: Auth, settings: Settings, today: date
) -> tuple[str, str, str]:
    """(meeting_id, plan_id, agenda_item_id) of a fresh plan on a fresh meeting."""
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    await consent(settings, meetings, case_id, consented_on=today)
    created = await meetings.client.post(
        "/plans", json=plan_body(case_id, today + timedelta(days=60)), headers=auth(*SHAKYO)
    )
    assert created.status_code == 201, created.text
    assert created.json()["queued_meeting_id"] == meeting
    return meeting, created.json()["plan_id"], created.json()["agenda_item_id"]


async def test_decision_on_an_item_not_on_the_agenda(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting, _, item = await _queued_plan(meetings, auth, settings, today)
    other = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    before = await _writes(meetings)
    for target, item_id in ((meeting, str(uuid7())), (other, item)):
        response = await _decide(meetings, auth, target, agenda_item_id=item_id, outcome="approve")
        assert response.status_code == 404, response.text
        assert response.json()["errors"][0]["field"] == "agenda_item_id"
        assert "議題" in response.json()["errors"][0]["reason"]
    assert await _writes(meetings) == before


async def test_refused_decisions_write_nothing(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting, _, item = await _queued_plan(meetings, auth, settings, today)
    before = await _writes(meetings)
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"outcome": "return"}, 422, "reason_code"),
        ({"outcome": "share"}, 422, "outcome"),
        (
            {"outcome": "approve", "roles": [{"agency_id": "aso", "role_code": "participation"}]},
            422,
            "roles",
        ),
        ({"outcome": "approve", "next_review_on": today.isoformat()}, 422, "next_review_on"),
        (
            {"outcome": "approve", "gaps": [{"category_code": "nothing"}]},
            422,
            "gaps.0.category_code",
        ),
        ({"outcome": "teleport"}, 422, "outcome"),
    ]
    for body, status, field in cases:
        response = await _decide(meetings, auth, meeting, agenda_item_id=item, **body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["errors"][0]["field"] == field, body
    not_shakyo = await meetings.client.post(
        f"/meetings/{meeting}/decisions",
        json={"agenda_item_id": item, "outcome": "approve"},
        headers=auth("jiritsu", "manager"),
    )
    assert not_shakyo.status_code == 403
    assert await _writes(meetings) == before

    ok = await _decide(meetings, auth, meeting, agenda_item_id=item, outcome="approve")
    assert ok.status_code == 201, ok.text
    twice = await _decide(meetings, auth, meeting, agenda_item_id=item, outcome="approve")
    assert twice.status_code == 409 and "決定済み" in twice.json()["errors"][0]["reason"]


async def test_decisions_wait_for_the_meeting_day(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting, _, item = await _queued_plan(meetings, auth, settings, today)
    day(today - timedelta(days=1))
    early = await _decide(meetings, auth, meeting, agenda_item_id=item, outcome="approve")
    assert early.status_code == 409 and early.json()["errors"][0]["field"] == "meeting_id"


async def test_evaluation_of_a_plan_never_approved(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting, plan_id, _ = await _queued_plan(meetings, auth, settings, today)
    before = await _writes(meetings)
    response = await meetings.client.post(
        f"/plans/{plan_id}/evaluation",
        json={
            "meeting_id": meeting,
            "result": "end",
            "end_kind": "completed",
            "reason_code": "goals_achieved",
        },
        headers=auth(*SHAKYO),
    )
    assert response.status_code == 409, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "plan_id" and "never approved" in error["reason"]
    case_id = (await meetings.client.get(f"/plans/{plan_id}", headers=auth(*SHAKYO))).json()[
        "case_id"
    ]
    item = await add_item(meetings, auth, meeting, case_id, "plan_evaluation", plan_id=plan_id)
    assert item.status_code == 409 and item.json()["errors"][0]["field"] == "plan_id"
    missing = await meetings.client.post(
        f"/plans/{uuid7()}/evaluation",
        json={"meeting_id": meeting, "result": "continue"},
        headers=auth(*SHAKYO),
    )
    assert missing.status_code == 404
    assert await _writes(meetings) == before


async def test_evaluation_needs_the_plan_on_that_meetings_agenda(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting, plan_id, item = await _queued_plan(meetings, auth, settings, today)
    approved = await _decide(meetings, auth, meeting, agenda_item_id=item, outcome="approve")
    assert approved.status_code == 201
    response = await meetings.client.post(
        f"/plans/{plan_id}/evaluation",
        json={"meeting_id": meeting, "result": "continue"},
        headers=auth(*SHAKYO),
    )
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "meeting_id"


async def test_withdrawal_after_queueing_stops_the_decision(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    consent_id = await consent(settings, meetings, case_id, consented_on=today)
    added = await add_item(meetings, auth, meeting, case_id, "resource_gap")
    assert added.status_code == 201
    await withdraw(settings, meetings, consent_id, case_id, today)
    before = await _writes(meetings)
    response = await _decide(
        meetings,
        auth,
        meeting,
        agenda_item_id=added.json()["agenda_item_id"],
        outcome="gap",
        gaps=[{"category_code": "ibasho"}],
    )
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "consent"
    assert await _writes(meetings) == before
    # Members no longer see the item; the operator still sees it, flagged.
    member_view = await meetings.client.get(
        f"/meetings/{meeting}", headers=auth("jiritsu", "counselor")
    )
    [hidden] = member_view.json()["items"]
    assert hidden["visible"] is False and hidden["case_id"] is None
    operator_view = await meetings.client.get(f"/meetings/{meeting}", headers=auth(*SHAKYO))
    assert operator_view.json()["items"][0]["consent_valid"] is False


async def test_closing_a_meeting(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting, plan_id, item = await _queued_plan(meetings, auth, settings, today)
    case_id = uuid7()
    await consent(settings, meetings, case_id, consented_on=today)
    gap_item = await add_item(meetings, auth, meeting, case_id, "resource_gap")
    decided = await _decide(
        meetings,
        auth,
        meeting,
        agenda_item_id=gap_item.json()["agenda_item_id"],
        outcome="gap",
        gaps=[
            {"category_code": "ibasho", "school_district_code": "03", "description": "夜間の居場所"}
        ],
    )
    assert decided.status_code == 201, decided.text
    future = await meetings.client.post(
        f"/meetings/{meeting}/held",
        json={"held_on": (today + timedelta(days=1)).isoformat()},
        headers=auth(*SHAKYO),
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "held_on"
    stranger = await meetings.client.post(
        f"/meetings/{meeting}/held",
        json={"attendee_agency_ids": ["npo-kurume"]},
        headers=auth(*SHAKYO),
    )
    assert stranger.status_code == 422

    # The plan is undecided: closing the meeting moves it to the next 重層的支援会議.
    next_meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today + timedelta(days=1))
    held = await meetings.client.post(
        f"/meetings/{meeting}/held",
        json={"attendee_agency_ids": ["shakyo", "jiritsu", "houkatsu-03"]},
        headers=auth(*SHAKYO),
    )
    assert held.status_code == 200, held.text
    assert held.json()["items_discussed"] == 1 and held.json()["plans_requeued"] >= 1
    [event] = await wait_events(settings, meeting, "meetings.MeetingHeld")
    assert event["payload"]["items_discussed"] == 1
    assert event["payload"]["participant_agency_ids"] == ["houkatsu-03", "jiritsu", "shakyo"]
    plan = await meetings.client.get(f"/plans/{plan_id}", headers=auth(*SHAKYO))
    assert plan.json()["queued_meeting_id"] == next_meeting

    again = await meetings.client.post(f"/meetings/{meeting}/held", headers=auth(*SHAKYO))
    assert again.status_code == 409
    late = await _decide(meetings, auth, meeting, agenda_item_id=item, outcome="approve")
    assert late.status_code == 409 and late.json()["errors"][0]["field"] == "meeting_id"
