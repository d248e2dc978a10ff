"""連携機関 (partner organisations) at a 支援会議, on the real stack: 社協 invites one for a
case; its staff (role partner) read that case's item only with a 守秘義務 pledge on record
(the same rule as an agency), never another case's item, never a meeting they are not
invited to; an inactive or unknown partner is refused with the field named."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import uuid4

import httpx
import pytest

from kasane_dev.testing.services import RunningService
from tests.integration.meetings.support import SHAKYO, Auth, ad_hoc, add_item, fetchval, pledge

pytestmark = pytest.mark.integration

Day = Callable[..., date]
HELLOWORK = "hellowork-kurume"
MINSEI = "minsei-kyogikai"  # never pledged in this test session
INACTIVE = "kyu-shuro-juku"
SECRET = "ガス料金を3か月滞納"
OTHER_SECRET = "長男が夜間に徘徊"


async def _invite(
    meetings: RunningService, auth: Auth, meeting: str, partner: str, case: str
) -> httpx.Response:
    return await meetings.client.post(
        f"/meetings/{meeting}/members",
        json={"agency_id": partner, "case_ids": [case]},
        headers=auth(*SHAKYO),
    )


async def test_partner_invited_for_a_case_reads_it_only_with_a_pledge(
    meetings: RunningService, auth: Auth, day: Day
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "support_meeting", today)
    case, other_case = str(uuid4()), str(uuid4())
    for case_id, summary in ((case, SECRET), (other_case, OTHER_SECRET)):
        added = await add_item(meetings, auth, meeting, case_id, "urgent_case", summary=summary)
        assert added.status_code == 201, added.text
    for partner in (HELLOWORK, MINSEI):
        invited = await _invite(meetings, auth, meeting, partner, case)
        assert invited.status_code == 200, invited.text
        [row] = [m for m in invited.json() if m["agency_id"] == partner]
        # Added by 社協 for the case: admitted by that act (the pledge is still needed).
        assert row["source"] == "case" and row["admitted_on"] is not None

    # Without a pledge: refused with the reason, no names, and the refusal audited.
    minsei = await meetings.client.get(f"/meetings/{meeting}/pack", headers=auth(MINSEI, "partner"))
    assert minsei.status_code == 403, minsei.text
    assert minsei.json()["errors"][0]["field"] == "pledge"
    assert SECRET not in minsei.text and OTHER_SECRET not in minsei.text
    denied = await fetchval(
        meetings.dsn,
        "SELECT count(*) FROM access_audit WHERE actor_agency = $1 AND outcome = 'denied'",
        MINSEI,
    )
    assert denied == 1

    # With the year's pledge (recorded by 社協): its own case only.
    await pledge(meetings, auth, HELLOWORK, today)
    pack = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth(HELLOWORK, "partner")
    )
    assert pack.status_code == 200, pack.text
    assert SECRET in pack.text and "ハローワーク久留米" in pack.text
    assert OTHER_SECRET not in pack.text and "他のケースのための参加です" in pack.text
    minutes = await meetings.client.get(
        f"/meetings/{meeting}/minutes", headers=auth(HELLOWORK, "partner")
    )
    assert minutes.status_code == 200, minutes.text
    assert OTHER_SECRET not in minutes.text
    read = await fetchval(
        meetings.dsn,
        "SELECT count(*) FROM access_audit WHERE actor_agency = $1 AND outcome = 'allowed'"
        " AND subject_id = $2",
        HELLOWORK,
        case,
    )
    assert read == 2  # the pack and the minutes, each an audited read of the item

    # A meeting it was not invited to, and the 体制's own routes: refused.
    elsewhere = await ad_hoc(meetings, auth, "support_meeting", today)
    closed = await meetings.client.get(
        f"/meetings/{elsewhere}/pack", headers=auth(HELLOWORK, "partner")
    )
    assert closed.status_code == 403 and closed.json()["errors"][0]["field"] == "agency"
    calendar = await meetings.client.get("/meetings", headers=auth(HELLOWORK, "partner"))
    assert calendar.status_code == 403
    # 社協 prints the partner's own pack for it.
    printed = await meetings.client.get(
        f"/meetings/{meeting}/pack", params={"for_agency": HELLOWORK}, headers=auth(*SHAKYO)
    )
    assert printed.status_code == 200 and OTHER_SECRET not in printed.text


@pytest.mark.parametrize(
    ("partner", "needle"),
    [
        (INACTIVE, "活動を終えた連携機関です / the partner is no longer active"),
        ("npo-nowhere", "未知の機関 / unknown agency or partner: npo-nowhere"),
    ],
)
async def test_inactive_or_unknown_partner_cannot_be_invited_admitted_or_pledged(
    meetings: RunningService, auth: Auth, day: Day, partner: str, needle: str
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "support_meeting", today)
    attempts = [
        ("agency_id", await _invite(meetings, auth, meeting, partner, str(uuid4()))),
        (
            "agency_ids",
            await meetings.client.post(
                f"/meetings/{meeting}/admissions",
                json={"agency_ids": [partner]},
                headers=auth(*SHAKYO),
            ),
        ),
        (
            "agency_id",
            await meetings.client.post(
                "/pledges", json={"agency_id": partner}, headers=auth(*SHAKYO)
            ),
        ),
    ]
    for field, response in attempts:
        assert response.status_code == 422, response.text
        [error] = response.json()["errors"]
        assert error["field"] == field and needle in error["reason"]
    members = await fetchval(
        meetings.dsn,
        "SELECT count(*) FROM meeting_members WHERE meeting_id = $1 AND agency_id = $2",
        meeting,
        partner,
    )
    assert members == 0
