"""The case's own 主担当 and the presenting agency always see their item at a 重層的支援会議,
even when the consent names only other agencies (issue 12 item 7)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from kasane.events.intake import CaseOpened
from kasane.ids import uuid7
from kasane.settings import Settings
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
LEAD, PRESENTER, NAMED, OTHER = "houkatsu-03", "kikan-01", "jiritsu", "kodomo"


async def test_lead_and_presenter_see_their_item_outside_the_consents_names(
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
    await consent(settings, meetings, case_id, consented_on=today, agencies=("shakyo", NAMED))
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
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

    async def visible(agency: str) -> bool:
        detail = await meetings.client.get(
            f"/meetings/{meeting}", headers=auth(agency, "counselor")
        )
        assert detail.status_code == 200, detail.text
        [item] = detail.json()["items"]
        return bool(item["visible"])

    assert await visible(LEAD)
    assert await visible(PRESENTER)
    assert await visible(NAMED)
    assert not await visible(OTHER)
    pack = await meetings.client.get(f"/meetings/{meeting}/pack", headers=auth(LEAD, "counselor"))
    assert pack.status_code == 200
    assert str(case_id) in pack.text and "通院の足がない" in pack.text
    assert "本人同意の範囲外" not in pack.text
