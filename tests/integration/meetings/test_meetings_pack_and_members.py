"""The meeting pack and membership on the real stack: each member sees only what it may."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.meetings.support import (
    SHAKYO,
    Auth,
    ad_hoc,
    add_item,
    admit,
    consent,
    fetchval,
    plan_body,
    pledge,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]


async def _audit_rows(meetings: RunningService, outcome: str) -> int:
    return int(
        await fetchval(
            meetings.dsn, "SELECT count(*) FROM access_audit WHERE outcome = $1", outcome
        )
    )


async def test_support_meeting_pack_needs_membership_and_pledge(
    meetings: RunningService, auth: Auth, misfit_auth: Auth, day: Day
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "support_meeting", today)
    case_id = uuid7()
    added = await add_item(
        meetings,
        auth,
        meeting,
        case_id,
        "urgent_case",
        summary="電気が止まっている。高齢の母と二人暮らし",
    )
    assert added.status_code == 201, added.text

    # An invited member 社協 has not admitted: 403 with the reason, and audited.
    denied_before = await _audit_rows(meetings, "denied")
    invited = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth("kodomo", "counselor")
    )
    assert invited.status_code == 403 and invited.json()["errors"][0]["field"] == "agency"
    assert await _audit_rows(meetings, "denied") == denied_before + 1
    # Admitted, but without a pledge for the year: 403 with the reason, and audited.
    await admit(meetings, auth, meeting, "kodomo")
    denied_before = await _audit_rows(meetings, "denied")
    no_pledge = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth("kodomo", "counselor")
    )
    assert no_pledge.status_code == 403
    assert no_pledge.json()["errors"][0]["field"] == "pledge"
    assert "守秘義務" in no_pledge.json()["errors"][0]["reason"]
    assert await _audit_rows(meetings, "denied") == denied_before + 1
    # An agency that does not exist (every known agency is a default member): no token.
    stranger = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=misfit_auth("npo-kurume", "counselor")
    )
    assert stranger.status_code == 401
    # City roles: aggregates only.
    city = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth("city-seikatsu2", "city_official")
    )
    assert city.status_code == 403

    await pledge(meetings, auth, "kodomo", today)
    allowed_before = await _audit_rows(meetings, "allowed")
    pack = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth("kodomo", "counselor")
    )
    assert pack.status_code == 200, pack.text
    assert pack.headers["content-type"].startswith("text/html")
    html = pack.text
    assert "支援会議（臨時） 会議資料" in html and "size: A4" in html
    assert "こども子育てサポートセンター" in html  # 宛先
    assert "電気が止まっている" in html and str(case_id) in html
    assert "第106条の6" in html
    assert await _audit_rows(meetings, "allowed") == allowed_before + 1  # the item read


async def test_multilayer_pack_hides_items_outside_the_consent(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    open_case, narrow_case = uuid7(), uuid7()
    # kasane.consent: an empty agency scope names nobody, so the consent names kodomo.
    await consent(settings, meetings, open_case, consented_on=today, agencies=("kodomo",))
    await consent(
        settings, meetings, narrow_case, consented_on=today, agencies=("shakyo", "jiritsu")
    )
    created = await meetings.client.post(
        "/plans", json=plan_body(narrow_case, today + timedelta(days=60)), headers=auth(*SHAKYO)
    )
    assert created.status_code == 201 and created.json()["queued_meeting_id"] == meeting
    gap = await add_item(
        meetings, auth, meeting, open_case, "resource_gap", summary="移動手段がない"
    )
    assert gap.status_code == 201

    kodomo = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth("kodomo", "counselor")
    )
    assert kodomo.status_code == 200
    assert str(narrow_case) not in kodomo.text
    assert "母の介護を続けながら" not in kodomo.text  # the plan's content
    assert "本人同意の範囲外" in kodomo.text
    assert str(open_case) in kodomo.text and "移動手段がない" in kodomo.text

    jiritsu = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth("jiritsu", "counselor")
    )
    assert str(narrow_case) in jiritsu.text and "母の介護を続けながら" in jiritsu.text
    assert "◎" in jiritsu.text  # 主担当 marked

    # 社協 prints a member's pack; others may not print someone else's.
    preview = await meetings.client.get(
        f"/meetings/{meeting}/pack", params={"for_agency": "kodomo"}, headers=auth(*SHAKYO)
    )
    assert preview.status_code == 200 and str(narrow_case) not in preview.text
    borrowed = await meetings.client.get(
        f"/meetings/{meeting}/pack",
        params={"for_agency": "jiritsu"},
        headers=auth("kodomo", "counselor"),
    )
    assert borrowed.status_code == 403

    # The JSON view follows the same rules.
    detail = await meetings.client.get(f"/meetings/{meeting}", headers=auth("kodomo", "counselor"))
    visible = {i["position"]: i["visible"] for i in detail.json()["items"]}
    assert visible == {1: False, 2: True}
    city = await meetings.client.get(
        f"/meetings/{meeting}", headers=auth("city-chiiki-fukushi", "city_official")
    )
    assert city.status_code == 200 and city.json()["items"] is None
    assert city.json()["agenda_items"] == 2


async def test_adding_a_member_for_particular_cases(
    meetings: RunningService, auth: Auth, day: Day
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "support_meeting", today)
    mine, other = uuid7(), uuid7()
    for case_id in (mine, other):
        assert (await add_item(meetings, auth, meeting, case_id, "watch_policy")).status_code == 201
    added = await meetings.client.post(
        f"/meetings/{meeting}/members",
        json={"agency_id": "kikan-02", "case_ids": [str(mine)]},
        headers=auth(*SHAKYO),
    )
    assert added.status_code == 200, added.text
    # kikan-02 is a default participant already: it keeps seeing everything.
    [kikan] = [m for m in added.json() if m["agency_id"] == "kikan-02"]
    assert kikan["source"] == "default" and kikan["case_ids"] == []

    # An agency outside the reference table (その他、ケースに応じて必要な者) joins for one case.
    extra = await meetings.client.post(
        f"/meetings/{meeting}/members",
        json={"agency_id": "nowhere", "case_ids": [str(mine)]},
        headers=auth(*SHAKYO),
    )
    assert extra.status_code == 422 and extra.json()["errors"][0]["field"] == "agency_id"


async def test_pledge_rules(meetings: RunningService, auth: Auth, day: Day) -> None:
    today = day()
    support = await ad_hoc(meetings, auth, "support_meeting", today)
    agency = "houkatsu-11"
    body = {"agency_id": agency, "pledged_on": today.isoformat()}
    other_agency = await meetings.client.post(
        "/pledges", json=body, headers=auth(agency, "manager")
    )
    assert other_agency.status_code == 403  # recorded by 社協 from the signed 誓約書
    future = await meetings.client.post(
        "/pledges",
        json={"agency_id": agency, "pledged_on": (today + timedelta(days=1)).isoformat()},
        headers=auth(*SHAKYO),
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "pledged_on"
    wrong_year = await meetings.client.post(
        "/pledges", json=body | {"fiscal_year": today.year + 5}, headers=auth(*SHAKYO)
    )
    assert (
        wrong_year.status_code == 422 and wrong_year.json()["errors"][0]["field"] == "fiscal_year"
    )
    unknown = await meetings.client.post(
        "/pledges", json={"agency_id": "houkatsu-99"}, headers=auth(*SHAKYO)
    )
    assert unknown.status_code == 422
    ok = await meetings.client.post("/pledges", json=body, headers=auth(*SHAKYO))
    assert ok.status_code == 201 and ok.json()["pledged_on"] == today.isoformat()
    twice = await meetings.client.post("/pledges", json=body, headers=auth(*SHAKYO))
    assert twice.status_code == 409
    members = await meetings.client.get(
        f"/meetings/{support}/members", headers=auth("jiritsu", "counselor")
    )
    found = {m["agency_id"]: m for m in members.json()}
    assert found[agency]["pledged_on"] == today.isoformat()
    assert found[agency]["admitted_on"] is None  # invited; 社協 has not admitted it
    assert members.json()[0]["agency_id"] == "shakyo"
