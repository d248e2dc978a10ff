"""支援会議 membership is 社協's decision per meeting, and a 守秘義務 pledge covers the fiscal
year (issue 12 item 6): an invited agency cannot enrol itself, a pledge alone does not open a
meeting, and one pledge a year serves every meeting the agency is admitted to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from kasane.fiscal_year import fiscal_year_of
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.meetings.support import (
    SHAKYO,
    Auth,
    ad_hoc,
    add_item,
    fetchval,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]
AGENCY = "kikan-04"  # a default participant: invited to every meeting


async def _denied(meetings: RunningService) -> int:
    return int(
        await fetchval(
            meetings.dsn,
            "SELECT count(*) FROM access_audit WHERE outcome = 'denied' AND actor_agency = $1",
            AGENCY,
        )
    )


async def test_admission_by_shakyo_and_one_pledge_a_year(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    year = fiscal_year_of(today)
    first = await ad_hoc(meetings, auth, "support_meeting", today)
    second = await ad_hoc(meetings, auth, "support_meeting", today)
    for meeting in (first, second):
        added = await add_item(
            meetings,
            auth,
            meeting,
            "0198a3b2-0000-7000-8000-00000000c0de",
            "urgent_case",
            summary="ガスが止まっている",
        )
        assert added.status_code == 201, added.text
    me = auth(AGENCY, "manager")

    # The agency cannot admit itself, nor record its own pledge; the old per-meeting
    # self-pledge route is gone.
    self_admit = await meetings.client.post(
        f"/meetings/{first}/admissions", json={"agency_ids": [AGENCY]}, headers=me
    )
    assert self_admit.status_code == 403
    self_pledge = await meetings.client.post("/pledges", json={"agency_id": AGENCY}, headers=me)
    assert self_pledge.status_code == 403
    old_route = await meetings.client.post(
        f"/meetings/{first}/members/{AGENCY}/pledge", json={}, headers=me
    )
    assert old_route.status_code in (404, 405)

    # A pledge for the year (recorded by 社協, once) does not by itself open a meeting.
    pledged = await meetings.client.post(
        "/pledges",
        json={"agency_id": AGENCY, "pledged_on": today.isoformat()},
        headers=auth(*SHAKYO),
    )
    assert pledged.status_code in (201, 409), pledged.text
    again = await meetings.client.post(
        "/pledges",
        json={"agency_id": AGENCY, "pledged_on": today.isoformat(), "fiscal_year": year},
        headers=auth(*SHAKYO),
    )
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "agency_id"
    listed = await meetings.client.get(
        "/pledges", params={"fiscal_year": year}, headers=auth(*SHAKYO)
    )
    assert AGENCY in {p["agency_id"] for p in listed.json()}

    before = await _denied(meetings)
    invited = await meetings.client.get(f"/meetings/{first}/pack", headers=me)
    assert invited.status_code == 403
    assert invited.json()["errors"][0]["field"] == "agency"
    assert "社協" in invited.json()["errors"][0]["reason"]
    assert "ガスが止まっている" not in invited.text
    assert await _denied(meetings) == before + 1

    # 社協 admits it to the first meeting: the year's pledge covers it.
    admitted = await meetings.client.post(
        f"/meetings/{first}/admissions", json={"agency_ids": [AGENCY]}, headers=auth(*SHAKYO)
    )
    assert admitted.status_code == 200, admitted.text
    [row] = [m for m in admitted.json() if m["agency_id"] == AGENCY]
    assert row["admitted_on"] == today.isoformat() and row["pledged_on"] is not None
    pack = await meetings.client.get(f"/meetings/{first}/pack", headers=me)
    assert pack.status_code == 200 and "ガスが止まっている" in pack.text

    # Admission is per meeting: the second meeting stays closed until 社協 decides.
    assert (await meetings.client.get(f"/meetings/{second}/pack", headers=me)).status_code == 403
    await meetings.client.post(
        f"/meetings/{second}/admissions", json={"agency_ids": [AGENCY]}, headers=auth(*SHAKYO)
    )
    assert (await meetings.client.get(f"/meetings/{second}/pack", headers=me)).status_code == 200

    # An unknown agency is a bad request, named.
    unknown = await meetings.client.post(
        f"/meetings/{first}/admissions", json={"agency_ids": ["houkatsu-99"]}, headers=auth(*SHAKYO)
    )
    assert unknown.status_code == 422 and "agency_ids" in unknown.text
