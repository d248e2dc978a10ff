"""A target from a report to contact, an approved outreach plan and a hand-off."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from kasane.events import topic_for, wrap
from kasane.events.meetings import PlanApproved, PlanReturned
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, produce
from tests.integration.outreach.outreach_support import (
    DESCRIPTION,
    Auth,
    contact_body,
    events_where,
    register,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def outreach(services: Any) -> RunningService:
    svc: RunningService = await services("outreach")
    return svc


async def decide(settings: Settings, contract: PlanApproved | PlanReturned) -> None:
    envelope = wrap(contract, producer="meetings", municipality_code="402036", agency_id="shakyo")
    await produce(
        settings.kafka_bootstrap,
        topic_for("meetings", settings.topic_namespace),
        [(contract.partition_key().encode(), envelope.to_bytes())],
    )


async def plan_status(svc: RunningService, headers: dict[str, str], target_id: str) -> list[str]:
    r = await svc.client.get(f"/targets/{target_id}/plans", headers=headers)
    assert r.status_code == 200, r.text
    return [p["status"] for p in r.json()]


async def test_report_contact_plan_approval_and_hand_off(
    outreach: RunningService, auth: Auth, settings: Settings
) -> None:
    worker = auth("shakyo", "coordinator")
    # Registered from a 民生委員's report: no consent, no identity beyond a description.
    target_id = await register(outreach, worker, registered_on="2025-04-10")

    got = await outreach.client.get(f"/targets/{target_id}", headers=worker)
    assert got.status_code == 200
    assert got.json()["description"] == DESCRIPTION
    assert got.json()["stage"] == "not_contacted"
    tag = got.headers["ETag"]

    contact = contact_body(result="talked", attempted_on="2025-04-20")
    r = await outreach.client.post(f"/targets/{target_id}/contacts", json=contact, headers=worker)
    assert r.status_code == 201, r.text

    r = await outreach.client.patch(
        f"/targets/{target_id}",
        json={"stage": "contacted", "changed_on": "2025-04-20", "reason": "玄関先で話せた"},
        headers=worker | {"If-Match": tag},
    )
    assert r.status_code == 200, r.text
    tag = r.headers["ETag"]

    # No plan before the target is linked to an intake case.
    refused = await outreach.client.post(
        f"/targets/{target_id}/plans", json={"goals": ["週1回の訪問を続ける"]}, headers=worker
    )
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "case_id"

    case_id = str(uuid.uuid4())
    r = await outreach.client.patch(
        f"/targets/{target_id}",
        json={"case_id": case_id, "stage": "relationship", "changed_on": "2025-05-02"},
        headers=worker | {"If-Match": tag},
    )
    assert r.status_code == 200, r.text
    assert r.json()["case_id"] == case_id

    plan = await outreach.client.post(
        f"/targets/{target_id}/plans",
        json={"goals": ["週1回の訪問を続ける", "母の介護保険申請"], "review_on": "2099-01-01"},
        headers=worker,
    )
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["plan_id"]
    assert plan.json()["status"] == "submitted"

    [submitted] = await events_where(
        settings, "outreach", lambda e: e["payload"].get("plan_id") == plan_id, 1
    )
    assert submitted["event_type"] == "outreach.PlanSubmitted"
    assert submitted["payload"]["program"] == "outreach"
    assert submitted["payload"]["case_id"] == case_id
    assert submitted["payload"]["target_id"] == target_id

    # meetings approves it at the 重層的支援会議.
    meeting_id = uuid.uuid4()
    await decide(
        settings,
        PlanApproved(
            plan_id=uuid.UUID(plan_id),
            case_id=uuid.UUID(case_id),
            program="outreach",
            meeting_id=meeting_id,
            approved_on=date(2025, 5, 28),
        ),
    )
    assert await eventually(
        lambda: plan_status(outreach, worker, target_id), lambda s: s == ["active"]
    )

    # Hand-off through a referral (built by the referral service): we keep its id.
    referral_id = str(uuid.uuid4())
    no_referral = await outreach.client.post(
        f"/targets/{target_id}/end", json={"reason_code": "handed_over"}, headers=worker
    )
    assert no_referral.status_code == 422
    assert no_referral.json()["errors"][0]["field"] == "referral_id"
    ended = await outreach.client.post(
        f"/targets/{target_id}/end",
        json={"reason_code": "handed_over", "referral_id": referral_id, "ended_on": "2025-06-10"},
        headers=worker,
    )
    assert ended.status_code == 200, ended.text
    assert (ended.json()["status"], ended.json()["referral_id"]) == ("ended", referral_id)
    again = await outreach.client.post(
        f"/targets/{target_id}/end",
        json={"reason_code": "handed_over", "referral_id": referral_id},
        headers=worker,
    )
    assert again.status_code == 409

    events = await events_where(
        settings, "outreach", lambda e: e["payload"].get("target_id") == target_id, 6
    )
    # PlanSubmitted is keyed by the case, the others by the target: order by time.
    events.sort(key=lambda e: e["occurred_at"])
    assert [e["event_type"] for e in events] == [
        "outreach.OutreachTargetRegistered",
        "outreach.ContactAttempted",
        "outreach.EngagementStageChanged",
        "outreach.EngagementStageChanged",
        "outreach.PlanSubmitted",
        "outreach.OutreachEnded",
    ]
    assert events[-1]["payload"]["reason_code"] == "handed_over"
    assert events[2]["payload"] | {} == {
        "target_id": target_id,
        "from_stage": "not_contacted",
        "to_stage": "contacted",
        "changed_on": "2025-04-20",
    }
    for event in events:  # nothing that identifies the household leaves outreach
        assert "雨戸" not in str(event) and "玄関先" not in str(event)
        assert "インターホン" not in str(event)


async def test_a_returned_plan_can_be_followed_by_a_new_one(
    outreach: RunningService, auth: Auth, settings: Settings
) -> None:
    worker = auth("shakyo", "manager")
    case_id = uuid.uuid4()
    target_id = await register(outreach, worker, case_id=str(case_id))
    first = await outreach.client.post(
        f"/targets/{target_id}/plans", json={"goals": ["見守り"]}, headers=worker
    )
    assert first.status_code == 201
    second = await outreach.client.post(
        f"/targets/{target_id}/plans", json={"goals": ["見守り"]}, headers=worker
    )
    assert second.status_code == 409  # one plan in progress at a time

    await decide(
        settings,
        PlanReturned(
            plan_id=uuid.UUID(first.json()["plan_id"]),
            case_id=case_id,
            program="outreach",
            meeting_id=uuid.uuid4(),
            returned_on=date(2025, 6, 25),
            reason_code="insufficient_goals",
        ),
    )
    assert await eventually(
        lambda: plan_status(outreach, worker, target_id), lambda s: s == ["returned"]
    )
    third = await outreach.client.post(
        f"/targets/{target_id}/plans", json={"goals": ["見守り", "通院同行"]}, headers=worker
    )
    assert third.status_code == 201


async def test_another_programs_plan_decision_changes_nothing_here(
    outreach: RunningService, auth: Auth, settings: Settings
) -> None:
    worker = auth("shakyo", "coordinator")
    case_id = uuid.uuid4()
    target_id = await register(outreach, worker, case_id=str(case_id))
    plan = await outreach.client.post(
        f"/targets/{target_id}/plans", json={"goals": ["見守り"]}, headers=worker
    )
    plan_id = uuid.UUID(plan.json()["plan_id"])
    # Same plan id but another program (a producer bug): ignored. Then the real one.
    for program in ("participation", "outreach"):
        await decide(
            settings,
            PlanApproved(
                plan_id=plan_id,
                case_id=case_id,
                program=program,  # type: ignore[arg-type]
                meeting_id=uuid.uuid4(),
                approved_on=date(2025, 7, 23),
            ),
        )
    assert await eventually(
        lambda: plan_status(outreach, worker, target_id), lambda s: s == ["active"]
    )
