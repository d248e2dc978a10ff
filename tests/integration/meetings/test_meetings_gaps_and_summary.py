"""Resource gaps (社会資源の不足) and the fiscal-year summary: listable, aggregates for the city."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from kasane.fiscal_year import fiscal_year_of
from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.meetings.support import (
    SHAKYO,
    Auth,
    ad_hoc,
    add_item,
    consent,
    plan_body,
    wait_events,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]


async def test_gaps_raised_in_a_meeting_are_published_and_listed(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day(date(2047, 6, 3))  # a year no other test uses
    fy = fiscal_year_of(today)
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    await consent(settings, meetings, case_id, consented_on=today)
    item = await add_item(meetings, auth, meeting, case_id, "resource_gap")
    decided = await meetings.client.post(
        f"/meetings/{meeting}/decisions",
        json={
            "agenda_item_id": item.json()["agenda_item_id"],
            "outcome": "gap",
            "gaps": [
                {
                    "category_code": "ibasho",
                    "school_district_code": "03",
                    "description": "若者が夜に集える場がない",
                },
                {"category_code": "mobility"},
            ],
        },
        headers=auth(*SHAKYO),
    )
    assert decided.status_code == 201, decided.text
    gap_ids = decided.json()["gap_ids"]
    assert len(gap_ids) == 2
    [event] = await wait_events(settings, gap_ids[0], "meetings.ResourceGapRaised")
    assert event["payload"]["category_code"] == "ibasho"
    assert event["payload"]["school_district_code"] == "03"
    assert "description" not in event["payload"]

    staff = await meetings.client.get(
        "/resource-gaps", params={"fiscal_year": fy}, headers=auth("jiritsu", "counselor")
    )
    assert staff.status_code == 200
    assert staff.json()["total"] == 2 and staff.json()["by_category"] == {
        "ibasho": 1,
        "mobility": 1,
    }
    described = {g["category_code"]: g["description"] for g in staff.json()["gaps"]}
    assert described == {"ibasho": "若者が夜に集える場がない", "mobility": None}
    city = await meetings.client.get(
        "/resource-gaps",
        params={"fiscal_year": fy},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert city.status_code == 200 and city.json()["total"] == 2
    assert all(g["description"] is None for g in city.json()["gaps"])
    auditor = await meetings.client.get(
        "/resource-gaps", headers=auth("city-chiiki-fukushi", "auditor")
    )
    assert auditor.status_code == 403


async def test_summary_counts_plans_in_the_fiscal_year_of_approval(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day(date(2048, 3, 30))  # the last days of FY2047
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    await consent(settings, meetings, case_id, consented_on=today)
    created = await meetings.client.post(
        "/plans", json=plan_body(case_id, today + timedelta(days=60)), headers=auth(*SHAKYO)
    )
    assert created.json()["queued_meeting_id"] == meeting
    approved = await meetings.client.post(
        f"/meetings/{meeting}/decisions",
        json={"agenda_item_id": created.json()["agenda_item_id"], "outcome": "approve"},
        headers=auth(*SHAKYO),
    )
    assert approved.status_code == 201
    held = await meetings.client.post(f"/meetings/{meeting}/held", headers=auth(*SHAKYO))
    assert held.status_code == 200

    city = auth("city-chiiki-fukushi", "city_official")
    fy2047 = await meetings.client.get("/summary", params={"fiscal_year": 2047}, headers=city)
    assert fy2047.status_code == 200, fy2047.text
    body = fy2047.json()
    assert body["wareki"] == "令和29年度"
    assert body["plans_approved"] == {"multiagency": 1}
    assert body["meetings_held"]["multilayer_meeting"] == 1
    assert body["items_by_kind"]["plan_appropriateness"] == 1
    assert "case_id" not in fy2047.text
    fy2048 = await meetings.client.get("/summary", params={"fiscal_year": 2048}, headers=city)
    assert fy2048.json()["plans_approved"] == {}
