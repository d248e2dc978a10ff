"""Plans submitted by outreach and participation queue themselves on the next
重層的支援会議 (events in through the inbox); without consent they wait for it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from uuid import UUID

import pytest

from kasane.events.intake import CaseClosed, CaseEscalated, CaseOpened, CaseReopened
from kasane.events.outreach import PlanSubmitted as OutreachPlanSubmitted
from kasane.events.participation import PlanSubmitted as ParticipationPlanSubmitted
from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.meetings.support import (
    SHAKYO,
    Auth,
    ad_hoc,
    consent,
    envelope,
    fetchval,
    publish,
    wait_events,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]


async def _queued_on(meetings: RunningService, plan_id: UUID) -> object:
    return await fetchval(
        meetings.dsn,
        "SELECT a.meeting_id FROM agenda_items a WHERE a.plan_id = $1"
        " AND a.kind = 'plan_appropriateness'",
        plan_id,
    )


async def test_outreach_plan_queues_on_the_next_multilayer_meeting(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    await ad_hoc(meetings, auth, "support_meeting", today)  # not a 重層的支援会議
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today + timedelta(days=2))
    await ad_hoc(meetings, auth, "multilayer_meeting", today + timedelta(days=9))  # later one
    case_id, plan_id = uuid7(), uuid7()
    await consent(settings, meetings, case_id, consented_on=today)
    submitted = envelope(
        "outreach",
        OutreachPlanSubmitted(
            plan_id=plan_id,
            case_id=case_id,
            program="outreach",
            submitted_on=today,
            review_on=today + timedelta(days=90),
            target_id=uuid7(),
        ),
        agency="shakyo",
    )
    # Delivered twice (at-least-once): queued once.
    await publish(settings, "outreach", submitted, submitted)
    found = await eventually(lambda: _queued_on(meetings, plan_id), lambda m: m is not None)
    assert str(found) == meeting
    assert (
        await fetchval(
            meetings.dsn, "SELECT count(*) FROM agenda_items WHERE plan_id = $1", plan_id
        )
        == 1
    )

    # Approving it publishes PlanApproved with the outreach program.
    detail = await meetings.client.get(f"/meetings/{meeting}", headers=auth(*SHAKYO))
    [item] = detail.json()["items"]
    assert item["plan_id"] == str(plan_id) and item["legal_basis"] == "consent"
    day(today + timedelta(days=2))
    decided = await meetings.client.post(
        f"/meetings/{meeting}/decisions",
        json={
            "agenda_item_id": item["agenda_item_id"],
            "outcome": "approve",
            "roles": [{"agency_id": "shakyo", "role_code": "outreach", "lead": True}],
        },
        headers=auth(*SHAKYO),
    )
    assert decided.status_code == 201, decided.text
    [approved] = await wait_events(settings, str(case_id), "meetings.PlanApproved")
    assert approved["payload"]["program"] == "outreach"
    assert approved["payload"]["approved_on"] == (today + timedelta(days=2)).isoformat()


async def test_participation_plan_waits_for_consent_then_queues(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id, plan_id = uuid7(), uuid7()
    await publish(
        settings,
        "participation",
        envelope(
            "participation",
            ParticipationPlanSubmitted(
                plan_id=plan_id,
                case_id=case_id,
                program="participation",
                submitted_on=today,
                participant_id=uuid7(),
            ),
            agency="aso",
        ),
    )
    await eventually(
        lambda: fetchval(meetings.dsn, "SELECT status FROM plans WHERE id = $1", plan_id),
        lambda status: status == "submitted",
    )
    assert await _queued_on(meetings, plan_id) is None  # no consent: waiting

    listed = await meetings.client.get(
        "/plans", params={"status": "submitted"}, headers=auth(*SHAKYO)
    )
    assert str(plan_id) in [p["plan_id"] for p in listed.json()]
    # The owning program (アソウ) reads its own plan's state; the content stays with it.
    own = await meetings.client.get(f"/plans/{plan_id}", headers=auth("aso", "coordinator"))
    assert own.status_code == 200 and own.json()["access_basis"] == "owner"
    assert own.json()["content"] is None and own.json()["queued_meeting_id"] is None

    await consent(settings, meetings, case_id, consented_on=today)
    found = await eventually(lambda: _queued_on(meetings, plan_id), lambda m: m is not None)
    assert str(found) == meeting


async def test_a_plan_waits_for_a_meeting_to_be_scheduled(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    # Far beyond every meeting any test creates: no 重層的支援会議 ahead yet.
    today = day(date(2049, 6, 1))
    case_id = uuid7()
    await consent(settings, meetings, case_id, consented_on=today)
    body = {
        "case_id": str(case_id),
        "household_wishes": "仕事を見つけたい",
        "issues": [{"issue_code": "employment"}],
        "long_term_goal": "就労",
        "short_term_goals": ["就労体験に参加"],
        "roles": [{"agency_id": "jiritsu", "role_code": "employment", "lead": True}],
        "review_on": (today + timedelta(days=60)).isoformat(),
    }
    created = await meetings.client.post("/plans", json=body, headers=auth(*SHAKYO))
    assert created.status_code == 201, created.text
    assert created.json()["waiting_for"] == "meeting"
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today + timedelta(days=3))
    found = await _queued_on(meetings, UUID(created.json()["plan_id"]))
    assert str(found) == meeting


async def test_escalations_to_multiagency_are_listed_for_shakyo(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    case_id = uuid7()
    await publish(
        settings,
        "intake",
        envelope(
            "intake",
            CaseOpened(case_id=case_id, lead_agency_id="houkatsu-05", opened_on=today),
        ),
        envelope(
            "intake",
            CaseEscalated(
                case_id=case_id,
                program="multiagency",
                reason_codes=["8050", "hikikomori"],
                escalated_on=today,
                by_agency_id="houkatsu-05",
            ),
        ),
    )

    async def listed() -> list[dict[str, object]]:
        response = await meetings.client.get("/escalations", headers=auth(*SHAKYO))
        assert response.status_code == 200
        return [e for e in response.json() if e["case_id"] == str(case_id)]

    [found] = await eventually(listed, lambda rows: len(rows) == 1)
    assert found["by_agency_ids"] == ["houkatsu-05"]
    assert found["reason_codes"] == ["8050", "hikikomori"]
    denied = await meetings.client.get("/escalations", headers=auth("houkatsu-05", "manager"))
    assert denied.status_code == 403
    # Once 社協 writes a plan for the case it leaves the list.
    await consent(settings, meetings, case_id, consented_on=today)
    body = {
        "case_id": str(case_id),
        "household_wishes": "家で暮らしたい",
        "issues": [{"issue_code": "8050"}],
        "long_term_goal": "安心",
        "short_term_goals": ["面談"],
        "roles": [{"agency_id": "houkatsu-05", "role_code": "elderly_care", "lead": True}],
        "review_on": (today + timedelta(days=60)).isoformat(),
        "submit": False,
    }
    assert (
        await meetings.client.post("/plans", json=body, headers=auth(*SHAKYO))
    ).status_code == 201
    assert await listed() == []


async def test_a_closed_escalation_leaves_the_list_and_a_reopened_one_comes_back(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    case_id = uuid7()
    opened = CaseOpened(case_id=case_id, lead_agency_id="houkatsu-05", opened_on=today)
    escalated = CaseEscalated(
        case_id=case_id,
        program="multiagency",
        reason_codes=["8050"],
        escalated_on=today,
        by_agency_id="houkatsu-05",
    )
    closed = CaseClosed(case_id=case_id, closed_on=today, reason_code="resolved")
    await publish(settings, "intake", *(envelope("intake", e) for e in (opened, escalated, closed)))

    async def listed() -> list[object]:
        response = await meetings.client.get("/escalations", headers=auth(*SHAKYO))
        assert response.status_code == 200
        return [e["case_id"] for e in response.json() if e["case_id"] == str(case_id)]

    # The closure is in the read model (and so the escalation, an earlier event of the case).
    await eventually(lambda: _closed_on(meetings, case_id), lambda closed_on: closed_on == today)
    assert await listed() == []
    reopened = CaseReopened(
        case_id=case_id,
        lead_agency_id="houkatsu-05",
        reopened_on=today,
        reason_code="closed_in_error",
    )
    await publish(settings, "intake", envelope("intake", reopened))
    await eventually(listed, lambda rows: rows == [str(case_id)])


async def _closed_on(meetings: RunningService, case_id: UUID) -> object:
    return await fetchval(meetings.dsn, "SELECT closed_on FROM cases WHERE case_id = $1", case_id)
