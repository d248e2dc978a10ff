"""One meaning of consent (kasane.consent) at meetings: an empty agency scope names nobody,
so a 重層的支援会議 item under it is shown to 社協 (and the 主担当/presenter) only, not to
every member (issue 12 item 8)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.meetings.support import SHAKYO, Auth, ad_hoc, add_item, consent

pytestmark = pytest.mark.integration

Day = Callable[..., date]


async def test_an_empty_agency_scope_shows_the_item_to_no_other_member(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    case_id = uuid7()
    await consent(settings, meetings, case_id, consented_on=today, agencies=())
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    added = await add_item(meetings, auth, meeting, case_id, "resource_gap", summary="買物難民")
    assert added.status_code == 201, added.text

    member = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth("kodomo", "counselor")
    )
    assert member.status_code == 200
    assert str(case_id) not in member.text and "買物難民" not in member.text
    assert "本人同意の範囲外" in member.text
    operator = await meetings.client.get(f"/meetings/{meeting}/pack", headers=auth(*SHAKYO))
    assert str(case_id) in operator.text and "買物難民" in operator.text
