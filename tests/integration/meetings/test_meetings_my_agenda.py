"""GET /agenda/mine: the portal home's "next meetings my cases are on" (issue 16)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from kasane.events.intake import CaseOpened
from kasane.ids import uuid7
from kasane.settings import Settings
from kasane.wareki import format_date
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.meetings.support import (
    Auth,
    ad_hoc,
    add_item,
    consent,
    envelope,
    fetchval,
    publish,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]
LEAD, PRESENTER, OTHER = "houkatsu-05", "kikan-03", "kodomo"


async def test_my_agenda_lists_items_of_cases_i_lead_or_present_from_today(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    case_id = uuid7()
    await publish(
        settings,
        "intake",
        envelope("intake", CaseOpened(case_id=case_id, lead_agency_id=LEAD, opened_on=today), LEAD),
    )
    await eventually(
        lambda: fetchval(
            meetings.dsn, "SELECT lead_agency_id FROM cases WHERE case_id = $1", case_id
        ),
        lambda found: found == LEAD,
    )
    await consent(settings, meetings, case_id, consented_on=today, agencies=("shakyo",))
    soon = today + timedelta(days=7)
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", soon)
    added = await add_item(
        meetings,
        auth,
        meeting,
        case_id,
        "resource_gap",
        summary="通院の足がない",
        presenting_agency_id=PRESENTER,
    )
    assert added.status_code == 201, added.text

    async def mine(agency: str, **params: str) -> list[dict[str, object]]:
        response = await meetings.client.get(
            "/agenda/mine", params=params, headers=auth(agency, "counselor")
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, object]] = response.json()["items"]
        return [i for i in items if i["case_id"] == str(case_id)]

    (lead_item,) = await mine(LEAD)
    assert lead_item["meeting_id"] == meeting and lead_item["my_part"] == "lead"
    assert lead_item["meeting_date"] == soon.isoformat()
    assert lead_item["meeting_date_wareki"] == format_date(soon)
    assert "summary" not in lead_item and "通院" not in str(lead_item)
    (presented,) = await mine(PRESENTER)
    assert presented["my_part"] == "presenter"
    assert await mine(OTHER) == []
    # Meetings before ``since`` are past: not listed.
    assert await mine(LEAD, since=(soon + timedelta(days=1)).isoformat()) == []
    # City roles never list case items.
    refused = await meetings.client.get(
        "/agenda/mine", headers=auth("city-chiiki-fukushi", "city_official")
    )
    assert refused.status_code == 403
