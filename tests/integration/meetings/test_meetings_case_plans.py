"""GET /cases/{case_id}/plans (the portal's case page): a case's plans as the caller may see
them, through the one plan access rule; each shown plan an audited read; a plan the caller
may not read, or another case's plan, is not listed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.meetings.support import SHAKYO, Auth, ad_hoc, consent, fetchval, plan_body

pytestmark = pytest.mark.integration

Day = Callable[..., date]


async def test_a_case_lists_the_plans_its_reader_may_see(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id, other_case = uuid7(), uuid7()
    for case in (case_id, other_case):
        await consent(
            settings, meetings, case, consented_on=today - timedelta(days=7), agencies=("shakyo",)
        )
    plan_ids = []
    for case in (case_id, other_case):
        created = await meetings.client.post(
            "/plans", json=plan_body(case, today + timedelta(days=90)), headers=auth(*SHAKYO)
        )
        assert created.status_code == 201, created.text
        plan_ids.append(created.json()["plan_id"])

    seen = await meetings.client.get(f"/cases/{case_id}/plans", headers=auth(*SHAKYO))
    assert seen.status_code == 200, seen.text
    [item] = seen.json()["items"]
    assert item["plan_id"] == plan_ids[0]  # not the other case's plan
    assert item["program"] == "multiagency" and item["status"] == "submitted"
    assert item["access_basis"] == "operator" and "content" not in item
    reads = await fetchval(
        meetings.dsn,
        "SELECT count(*) FROM access_audit WHERE record_type = 'plan' AND subject_id = $1"
        " AND action = 'read' AND actor_agency = 'shakyo' AND outcome <> 'denied'",
        str(case_id),
    )
    assert reads >= 1

    # Outside the consent, no role: the plan is not revealed.
    stranger = await meetings.client.get(
        f"/cases/{case_id}/plans", headers=auth("kodomo", "coordinator")
    )
    assert stranger.status_code == 200 and stranger.json()["items"] == []
