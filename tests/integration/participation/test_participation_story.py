"""Done-when story on the real stack: case → referral → accepted → participation plan
submitted → PlanApproved (simulated) → placement → ended, every transition an event."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from kasane.clock import Clock
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.participation.participation_fixtures import (
    ASO,
    PLAN,
    Auth,
    accepted_program_referral,
    approve,
    enrolled_from,
    own_resource,
    participant,
    status_of,
)
from tests.integration.referral.referral_fixtures import events_of, fetchval, types_of

pytestmark = pytest.mark.integration

OWNER = "houkatsu-08"
ALLOWED_PAYLOAD = {
    "participant_id", "case_id", "referral_id", "meeting_decision_id", "started_on",
    "plan_id", "program", "submitted_on", "review_on", "placement_id", "resource_id",
    "category", "ended_on", "outcome_code", "planned_stages",
}  # fmt: skip


async def test_case_to_referral_to_plan_to_placement_to_end(
    referral: RunningService, participation: RunningService, auth: Auth, settings: Settings
) -> None:
    aso = auth(ASO, "coordinator")
    today = Clock().today()  # enrolment is dated today; later dates follow it
    day = {n: (today + timedelta(days=n)).isoformat() for n in (0, 30, 31, 60)}
    case_id, _, referral_id = await accepted_program_referral(settings, referral, auth, OWNER)

    # ReferralAccepted (to_program participation) enrols a participant.
    pid = await enrolled_from(participation, auth, referral_id)
    enrolled = (await participant(participation, auth, pid)).json()
    assert enrolled["status"] == "enrolled"
    assert enrolled["referral_id"] == str(referral_id)
    assert enrolled["legal_basis"] == "consent"
    profile = await participation.client.patch(
        f"/participants/{pid}/profile",
        json={"age_band": "30-39", "school_district_code": "01"},
        headers=aso,
    )
    assert profile.status_code == 200, profile.text

    ibasho = await own_resource(participation, auth, capacity=1, ages=(15, 39))
    too_early = await participation.client.post(
        f"/participants/{pid}/placements",
        json={"resource_id": str(ibasho), "started_on": day[0]},
        headers=aso,
    )
    assert too_early.status_code == 409  # the plan is not approved yet

    plan = await participation.client.post(f"/participants/{pid}/plans", json=PLAN, headers=aso)
    assert plan.status_code == 201, plan.text
    plan_id = UUID(plan.json()["id"])
    twice = await participation.client.post(f"/participants/{pid}/plans", json=PLAN, headers=aso)
    assert twice.status_code == 409
    assert await status_of(participation, auth, pid) == "plan_submitted"

    await approve(settings, case_id, plan_id)
    await eventually(lambda: status_of(participation, auth, pid), lambda s: s == "active")

    for stage in ("outing", "ibasho"):
        step = await participation.client.post(
            f"/participants/{pid}/steps",
            json={"stage": stage, "reached_on": day[0], "note": "笑顔が見られた"},
            headers=aso,
        )
        assert step.status_code == 201, step.text

    suggested = await participation.client.get(
        f"/participants/{pid}/matches",
        params={"category": "ibasho", "within": "school_district"},
        headers=aso,
    )
    assert suggested.status_code == 200
    found = {m["resource_id"]: m for m in suggested.json()}
    assert found[str(ibasho)]["proximity"] == "school_district"
    assert found[str(ibasho)]["free"] == 1

    placed = await participation.client.post(
        f"/participants/{pid}/placements",
        json={
            "resource_id": str(ibasho),
            "started_on": day[0],
            "planned_end_on": day[60],
        },
        headers=aso,
    )
    assert placed.status_code == 201, placed.text
    placement_id = placed.json()["id"]
    full = await participation.client.post(
        f"/participants/{pid}/placements",
        json={"resource_id": str(ibasho), "started_on": day[0]},
        headers=aso,
    )
    assert full.status_code == 409
    assert full.json()["errors"][0]["field"] == "resource_id"
    now_full = await participation.client.get(
        f"/participants/{pid}/matches", params={"category": "ibasho"}, headers=aso
    )
    assert str(ibasho) not in {m["resource_id"] for m in now_full.json()}

    blocked = await participation.client.post(
        f"/participants/{pid}/end",
        json={"ended_on": day[31], "outcome_code": "connected_to_community"},
        headers=aso,
    )
    assert blocked.status_code == 409
    assert blocked.json()["errors"][0]["field"] == "placements"
    ended_placement = await participation.client.post(
        f"/participants/{pid}/placements/{placement_id}/end",
        json={"ended_on": day[30], "outcome_code": "next_step"},
        headers=aso,
    )
    assert ended_placement.status_code == 200, ended_placement.text
    ended = await participation.client.post(
        f"/participants/{pid}/end",
        json={"ended_on": day[31], "outcome_code": "connected_to_community"},
        headers=aso,
    )
    assert ended.status_code == 200, ended.text

    final = (await participant(participation, auth, pid)).json()
    assert final["status"] == "ended"
    assert final["current_stage"] == "ibasho"
    assert [s["stage"] for s in final["steps"]] == ["outing", "ibasho"]
    assert final["plans"][0]["status"] == "approved"
    assert final["plans"][0]["wishes"] == PLAN["wishes"]
    assert final["placements"][0]["outcome_code"] == "next_step"

    # Every transition is an event, in order, on each service's topic (key = case_id).
    referral_events = await events_of(settings, "referral", case_id)
    assert types_of(referral_events) == ["ReferralRequested", "ReferralAccepted"]
    envelopes = await eventually(
        lambda: events_of(settings, "participation", case_id), lambda found: len(found) >= 5
    )
    assert types_of(envelopes) == [
        "ParticipationStarted",
        "PlanSubmitted",
        "PlacementStarted",
        "PlacementEnded",
        "ParticipationEnded",
    ]
    for envelope in envelopes:
        assert set(envelope["payload"]) <= ALLOWED_PAYLOAD
        for personal in ("家族", "居場所に通う", "笑顔", "コンビニ"):
            assert personal not in str(envelope)
    started, submitted, placement, _, end = (e["payload"] for e in envelopes)
    assert started["referral_id"] == str(referral_id)
    assert submitted["program"] == "participation" and submitted["plan_id"] == str(plan_id)
    # The plan's goals as codes (the planned stages) for the meeting; the wording stays here.
    assert submitted["planned_stages"] == ["outing", "ibasho", "work_trial"]
    assert placement["category"] == "ibasho" and placement["resource_id"] == str(ibasho)
    assert end["outcome_code"] == "connected_to_community"
    # The enrolment was caused by referral's ReferralAccepted: the chain is traceable.
    assert envelopes[0]["causation_id"] == referral_events[1]["event_id"]

    # Personal content was read and changed under audit, with the legal basis.
    actions = await fetchval(
        participation.dsn,
        "SELECT array_agg(DISTINCT action) FROM access_audit WHERE record_id = $1"
        " AND outcome = 'allowed' AND legal_basis = 'consent'",
        str(pid),
    )
    assert {"read", "update", "plan_submit", "step_record", "match", "placement_start",
            "placement_end", "end"} <= set(actions)  # fmt: skip
