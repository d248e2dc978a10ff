"""A 支援会議's sharing ends (issue 12 item 6), across meetings and intake on the real stack:
only members 社協 admitted (with the year's pledge) are let in; the grant carries its last
day (meeting day + the city's period, default 90 days); it ends at case closure; and the
person's 開示請求 log shows the grant's basis and end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import httpx
import pytest

from kasane.clock import Clock
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.intake.intake_steps import household_case
from tests.integration.meetings.support import (
    SHAKYO,
    Auth,
    ad_hoc,
    add_item,
    admit,
    pledge,
    wait_events,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]
LEAD = ("houkatsu-03", "counselor")
MEMBER, INVITED = "kikan-01", "kodomo"


async def _status(intake: RunningService, auth: Auth, agency: str, case_id: str) -> int:
    response: httpx.Response = await intake.client.get(
        f"/cases/{case_id}", headers=auth(agency, "counselor")
    )
    return response.status_code


async def _grants(intake: RunningService, auth: Auth, person: str) -> list[dict[str, object]]:
    log = await intake.client.get(
        f"/persons/{person}/access-log", headers=auth("city-chiiki-fukushi", "auditor")
    )
    assert log.status_code == 200, log.text
    return [g for g in log.json()["grants"] if g["source"] == "meeting"]


async def test_meeting_grant_has_an_end_and_ends_at_case_closure(
    intake: RunningService, meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day(Clock().today())  # intake works on the real date
    case = await household_case(intake, auth(*LEAD))
    case_id = case["case"]
    support = await ad_hoc(meetings, auth, "support_meeting", today)
    await pledge(meetings, auth, MEMBER, today)
    await pledge(meetings, auth, INVITED, today)  # pledged, but 社協 does not admit it
    await admit(meetings, auth, support, MEMBER)
    item = await add_item(meetings, auth, support, case_id, "information_sharing")
    assert item.status_code == 201, item.text
    decided = await meetings.client.post(
        f"/meetings/{support}/decisions",
        json={"agenda_item_id": item.json()["agenda_item_id"], "outcome": "share"},
        headers=auth(*SHAKYO),
    )
    assert decided.status_code == 201, decided.text

    [event] = await wait_events(settings, case_id, "meetings.CaseDiscussed")
    until = today + timedelta(days=90)
    assert event["schema_version"] == 2
    assert event["payload"]["access_until"] == until.isoformat()
    assert MEMBER in event["payload"]["member_agency_ids"]
    assert INVITED not in event["payload"]["member_agency_ids"]

    await eventually(lambda: _status(intake, auth, MEMBER, case_id), lambda s: s == 200)
    assert await _status(intake, auth, INVITED, case_id) == 404
    [grant] = [g for g in await _grants(intake, auth, case["son"]) if g["agency_id"] == MEMBER]
    assert grant["legal_basis"] == "support_meeting"
    assert grant["access_until"] == until.isoformat()
    assert grant["ended_at"] is None

    closed = await intake.client.post(
        f"/cases/{case_id}/close",
        json={"reason": "resolved", "closed_on": today.isoformat()},
        headers=auth(*LEAD),
    )
    assert closed.status_code == 200, closed.text
    assert await _status(intake, auth, MEMBER, case_id) == 404
    [ended] = [g for g in await _grants(intake, auth, case["son"]) if g["agency_id"] == MEMBER]
    assert ended["end_reason"] == "case_closed" and ended["ended_at"] is not None
