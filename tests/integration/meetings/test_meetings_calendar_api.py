"""The calendar on the real stack: generated at start-up, on request, idempotently."""

from __future__ import annotations

from datetime import date

import pytest

from kasane.clock import Clock
from kasane.fiscal_year import fiscal_year_of
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import table_count
from tests.integration.meetings.support import SHAKYO, Auth, ad_hoc, meetings_events

pytestmark = pytest.mark.integration


async def test_current_and_next_fiscal_year_exist_at_start_up(
    meetings: RunningService, auth: Auth
) -> None:
    current = fiscal_year_of(Clock().today())
    for fy in (current, current + 1):
        response = await meetings.client.get(
            "/meetings", params={"fiscal_year": fy}, headers=auth("jiritsu", "counselor")
        )
        assert response.status_code == 200, response.text
        listed = response.json()
        regular = [m for m in listed if not m["ad_hoc"]]
        assert len(regular) == 24
        assert {m["type"] for m in regular} == {"multilayer_meeting", "support_meeting"}
        assert set(listed[0]) >= {"meeting_id", "type", "date", "ad_hoc", "holiday"}
        months = {date.fromisoformat(m["regular_date"]).month for m in regular}
        assert months == set(range(1, 13))


async def test_a_past_year_with_a_holiday_is_generated_once(
    meetings: RunningService, auth: Auth, settings: Settings
) -> None:
    first = await meetings.client.post("/calendar/2022", headers=auth(*SHAKYO))
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["fiscal_year"], body["wareki"], body["created"]) == (2022, "令和4年度", 24)
    november = [m for m in body["meetings"] if m["regular_date"] == "2022-11-23"]
    assert len(november) == 2
    assert all(m["holiday"] and m["date"] == "2022-11-24" for m in november)
    assert all(m["holiday_name"] == "勤労感謝の日" for m in november)
    assert sum(m["holiday"] for m in body["meetings"]) == 2

    meetings_before = await table_count(meetings.dsn, "meetings")
    again = await meetings.client.post("/calendar/2022", headers=auth(*SHAKYO))
    assert again.status_code == 200 and again.json()["created"] == 0
    assert [m["meeting_id"] for m in again.json()["meetings"]] == [
        m["meeting_id"] for m in body["meetings"]
    ]
    assert await table_count(meetings.dsn, "meetings") == meetings_before

    # One MeetingScheduled per meeting, not per request.
    scheduled = await meetings_events(
        settings, november[0]["meeting_id"], "meetings.MeetingScheduled"
    )
    assert len(scheduled) == 1
    payload = scheduled[0]["payload"]
    assert payload["holiday"] is True and payload["scheduled_on"] == "2022-11-24"
    assert payload["fiscal_year"] == 2022 and payload["ad_hoc"] is False


async def test_holiday_policy_keep_flags_without_moving(
    meetings: RunningService, auth: Auth
) -> None:
    response = await meetings.client.post(
        "/calendar/2021", params={"holiday_policy": "keep"}, headers=auth(*SHAKYO)
    )
    assert response.status_code == 200, response.text
    february = [m for m in response.json()["meetings"] if m["regular_date"] == "2022-02-23"]
    assert len(february) == 2 and all(m["holiday"] and m["date"] == "2022-02-23" for m in february)


async def test_only_shakyo_generates_and_years_are_bounded(
    meetings: RunningService, auth: Auth
) -> None:
    denied = await meetings.client.post("/calendar/2019", headers=auth("jiritsu", "coordinator"))
    assert denied.status_code == 403
    city = await meetings.client.post(
        "/calendar/2019", headers=auth("city-chiiki-fukushi", "city_official")
    )
    assert city.status_code == 403
    bad = await meetings.client.post("/calendar/1800", headers=auth(*SHAKYO))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "fiscal_year"
    policy = await meetings.client.post(
        "/calendar/2019", params={"holiday_policy": "never"}, headers=auth(*SHAKYO)
    )
    assert policy.status_code == 422
    anonymous = await meetings.client.get("/meetings")
    assert anonymous.status_code == 401


async def test_ad_hoc_meeting_any_day(
    meetings: RunningService, auth: Auth, settings: Settings
) -> None:
    sunday = date(2043, 5, 3)  # a Sunday and a 祝日: 臨時 meetings may be held any day
    meeting_id = await ad_hoc(meetings, auth, "support_meeting", sunday)
    listed = await meetings.client.get(
        "/meetings",
        params={"fiscal_year": 2043},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert listed.status_code == 200
    [found] = [m for m in listed.json() if m["meeting_id"] == meeting_id]
    assert (
        found["ad_hoc"] is True and found["date"] == "2043-05-03" and found["regular_date"] is None
    )
    [event] = await meetings_events(settings, meeting_id, "meetings.MeetingScheduled")
    assert event["payload"]["ad_hoc"] is True
    refused = await meetings.client.post(
        "/meetings",
        json={"type": "support_meeting", "date": "2043-05-03"},
        headers=auth("kodomo", "coordinator"),
    )
    assert refused.status_code == 403
    bad = await meetings.client.post(
        "/meetings", json={"type": "tea_party", "date": "2043-05-03"}, headers=auth(*SHAKYO)
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "type"
