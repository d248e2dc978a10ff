"""intake ends a meeting grant on its last day (meetings.CaseDiscussed v2 ``access_until``)
and when the case's plan ends; a later decision renews it (issue 12 item 6)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from kasane.clock import today_jst
from kasane.events import wrap
from kasane.events.envelope import EventContract
from kasane.events.meetings import CaseDiscussed, PlanEnded
from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, produce
from tests.integration.intake.intake_steps import Auth, household_case

pytestmark = pytest.mark.integration

OWNER, MEMBER = "houkatsu-06", "kikan-02"


async def _publish(settings: Settings, contract: EventContract) -> None:
    envelope = wrap(contract, producer="meetings", municipality_code="402036", agency_id="shakyo")
    await produce(
        settings.kafka_bootstrap,
        topic_for("meetings", settings.topic_namespace),
        [(contract.partition_key().encode(), envelope.to_bytes())],
    )


def _discussed(case_id: str, until_days: int) -> CaseDiscussed:
    today = today_jst()
    return CaseDiscussed(
        meeting_id=uuid.uuid4(),
        agenda_item_id=uuid.uuid4(),
        case_id=uuid.UUID(case_id),
        meeting_type="support_meeting",
        kind="information_sharing",
        legal_basis="support_meeting",
        discussed_on=today - timedelta(days=100),
        decision_id=uuid.uuid4(),
        outcome="share",
        member_agency_ids=[MEMBER],
        access_until=today + timedelta(days=until_days),
    )


async def test_meeting_grant_expires_renews_and_ends_with_the_plan(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    case_id = ids["case"]

    async def status() -> int:
        response = await intake.client.get(f"/cases/{case_id}", headers=auth(MEMBER, "counselor"))
        return response.status_code

    async def grant_count() -> int:
        log = await intake.client.get(
            f"/persons/{ids['son']}/access-log", headers=auth("city-chiiki-fukushi", "auditor")
        )
        return len(log.json()["grants"])

    # A decision whose sharing ended yesterday lets nobody in.
    await _publish(settings, _discussed(case_id, until_days=-1))
    await eventually(grant_count, lambda n: n == 1)
    assert await status() == 404

    # A later decision renews it.
    await _publish(settings, _discussed(case_id, until_days=30))
    await eventually(status, lambda s: s == 200)

    # The case's plan ends: the meetings' sharing ends with it.
    await _publish(
        settings,
        PlanEnded(
            plan_id=uuid.uuid4(),
            case_id=uuid.UUID(case_id),
            program="multiagency",
            ended_on=today_jst(),
            end_kind="completed",
            reason_code="goals_achieved",
        ),
    )
    await eventually(status, lambda s: s == 404)
