"""校区 reference, the social-resource directory, programs and 支え合い推進会議."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.community.community_support import Auth, events_where

pytestmark = pytest.mark.integration


@pytest.fixture
async def community(services: Any) -> RunningService:
    svc: RunningService = await services("community")
    return svc


def salon(**service: Any) -> dict[str, Any]:
    return {
        "organization": {
            "name": f"ふれあいサロン運営委員会 {uuid.uuid4()}",
            "phone": "0942-00-0000",
        },
        "service": {
            "name": "ふれあいいきいきサロン",
            "category": "salon",
            "program_code": "small_area_network",
            **service,
        },
        "location": {
            "name": "○○公民館",
            "address": "久留米市○○町1-1",
            "school_district_code": "05",
        },
        "schedules": [
            {"freq": "MONTHLY", "byday": "2WE", "opens_at": "10:00", "closes_at": "12:00"}
        ],
        "eligibility": {"age_min": 65, "description": "おおむね65歳以上"},
        "capacity": 30,
    }


async def test_school_districts_are_grouped_by_daily_life_area(
    community: RunningService, auth: Auth
) -> None:
    assert (await community.client.get("/school-districts")).status_code == 401
    r = await community.client.get("/school-districts", headers=auth("jiritsu", "counselor"))
    assert r.status_code == 200
    body = r.json()
    assert body["sample"] is True
    assert len(body["daily_life_areas"]) == 11
    codes = [d["code"] for a in body["daily_life_areas"] for d in a["school_districts"]]
    assert len(codes) == len(set(codes)) == 46


async def test_resource_lifecycle_publishes_codes_only(
    community: RunningService, auth: Auth, settings: Settings
) -> None:
    shakyo = auth("shakyo", "coordinator")
    created = await community.client.post("/resources", json=salon(), headers=shakyo)
    assert created.status_code == 201, created.text
    resource = created.json()
    rid = resource["id"]
    assert resource["version"] == 1 and created.headers["ETag"] == '"1"'

    # Anyone with a token may read the directory, e.g. participation's operator.
    got = await community.client.get(f"/resources/{rid}", headers=auth("aso", "coordinator"))
    assert got.status_code == 200
    assert got.json()["location"]["name"] == "○○公民館"
    assert (await community.client.get(f"/resources/{rid}")).status_code == 401

    # The same document again: no new version. A change: version 2.
    same = await community.client.put(
        f"/resources/{rid}",
        json=salon() | {"organization": resource["organization"]},
        headers=shakyo,
    )
    assert same.status_code == 200 and same.json()["version"] == 1
    changed_body = salon() | {"organization": resource["organization"], "capacity": 40}
    changed = await community.client.put(
        f"/resources/{rid}", json=changed_body, headers=shakyo | {"If-Match": '"1"'}
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = await community.client.put(
        f"/resources/{rid}", json=salon(), headers=shakyo | {"If-Match": '"1"'}
    )
    assert stale.status_code == 409

    found = await community.client.get(
        "/resources",
        params={"category": "salon", "school_district_code": "05", "age": 70},
        headers=auth("kodomo", "counselor"),
    )
    assert rid in [r["id"] for r in found.json()]
    too_young = await community.client.get(
        "/resources", params={"age": 30, "category": "salon"}, headers=shakyo
    )
    assert rid not in [r["id"] for r in too_young.json()]

    withdrawn = await community.client.post(f"/resources/{rid}/withdraw", headers=shakyo)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = await community.client.post(f"/resources/{rid}/withdraw", headers=shakyo)
    assert again.status_code == 200
    listed = await community.client.get("/resources", params={"category": "salon"}, headers=shakyo)
    assert rid not in [r["id"] for r in listed.json()]

    events = await events_where(
        settings, "community", lambda e: e["payload"].get("resource_id") == rid, 3
    )
    assert [e["event_type"] for e in events] == [
        "community.ResourcePublished",
        "community.ResourcePublished",
        "community.ResourceWithdrawn",
    ]
    assert events[1]["payload"] == {
        "resource_id": rid,
        "version": 2,
        "category": "salon",
        "school_district_code": "05",
        "program_code": "small_area_network",
        "capacity": 40,
        "age_min": 65,
        "age_max": None,
    }
    await_more = await events_where(
        settings, "community", lambda e: e["payload"].get("resource_id") == rid, 3
    )
    assert len(await_more) == 3  # withdrawing twice published once


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"eligibility": {"age_min": 20, "age_max": 10}}, "eligibility"),
        ({"service": {"name": "x", "category": "casino"}}, "service.category"),
        (
            {"service": {"name": "x", "category": "salon", "program_code": "nope"}},
            "service.program_code",
        ),
        ({"location": {"school_district_code": "77"}}, "location.school_district_code"),
        ({"capacity": -1}, "capacity"),
        (
            {
                "schedules": [
                    {"freq": "WEEKLY", "byday": "XX", "opens_at": "10:00", "closes_at": "11:00"}
                ]
            },
            "schedules.0.byday",
        ),
    ],
)
async def test_bad_resource_is_refused_naming_the_field(
    community: RunningService, auth: Auth, change: dict[str, Any], field: str
) -> None:
    r = await community.client.post(
        "/resources", json=salon() | change, headers=auth("shakyo", "coordinator")
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field


async def test_only_shakyo_publishes_resources(community: RunningService, auth: Auth) -> None:
    r = await community.client.post("/resources", json=salon(), headers=auth("aso", "coordinator"))
    assert r.status_code == 403


async def test_program_catalog_follows_the_seed(community: RunningService, auth: Auth) -> None:
    r = await community.client.get(
        "/programs", headers=auth("city-chiiki-fukushi", "city_official")
    )
    programs = {p["code"]: p for p in r.json()}
    assert programs["living_support_system"]["operation_ja"] == "委託"
    [coordinators] = [
        f
        for f in programs["living_support_system"]["facilities"]
        if f["code"] == "living_support_coordinator"
    ]
    assert coordinators["count"] == 11
    assert {f["code"]: f["count"] for f in programs["activity_support_center"]["facilities"]} == {
        "type_1": 2,
        "type_3": 8,
    }
    assert sorted(programs["childrearing_hub"]["parts"]) == [
        "childrearing_support_center",
        "jido_center",
        "kosodate_plaza",
        "tsudoi_hiroba",
    ]
    assert programs["childrearing_support_center"]["operation"] == "direct"
    assert programs["kodomo_shokudo_support"]["operation_ja"] == "団体補助"


async def test_program_activity_reports_and_corrections(
    community: RunningService, auth: Auth, settings: Settings
) -> None:
    shakyo = auth("shakyo", "coordinator")
    fy = random.randint(2001, 2018)
    district = f"{random.randint(1, 46):02d}"
    body = {
        "month": f"{fy}-05",
        "school_district_code": district,
        "sessions": 4,
        "participants": 52,
    }
    path = "/programs/kodomo_shokudo_support/activity"
    first = await community.client.post(path, json=body, headers=shakyo)
    assert first.status_code == 201, first.text
    repeat = await community.client.post(path, json=body, headers=shakyo)
    assert repeat.status_code == 200 and repeat.json()["revision"] == 1
    fixed = await community.client.post(path, json=body | {"participants": 48}, headers=shakyo)
    assert fixed.json()["revision"] == 2
    assert fixed.json()["report_id"] == first.json()["report_id"]

    totals = await community.client.get(
        path, params={"fiscal_year": fy}, headers=auth("city-chiiki-fukushi", "city_official")
    )
    ours = [r for r in totals.json()["reports"] if r["report_id"] == first.json()["report_id"]]
    assert [(r["sessions"], r["participants"]) for r in ours] == [(4, 48)]

    report_id = first.json()["report_id"]
    events = await events_where(
        settings, "community", lambda e: e["payload"].get("report_id") == report_id, 2
    )
    assert [e["payload"]["participants"] for e in events] == [52, 48]

    umbrella = await community.client.post(
        "/programs/childrearing_hub/activity", json=body, headers=shakyo
    )
    assert umbrella.status_code == 422
    unknown = await community.client.post("/programs/nope/activity", json=body, headers=shakyo)
    assert unknown.status_code == 404
    future = await community.client.post(path, json=body | {"month": "2999-01"}, headers=shakyo)
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "month"


async def test_support_council_is_recorded_once_per_day_and_published(
    community: RunningService, auth: Auth, settings: Settings
) -> None:
    shakyo = auth("shakyo", "coordinator")
    held_on = date(2010, 4, 1) + timedelta(days=random.randint(0, 3000))
    district = f"{random.randint(1, 46):02d}"
    body = {
        "school_district_code": district,
        "held_on": held_on.isoformat(),
        "participants": 18,
        "topic_codes": ["watching", "ibasho"],
        "notes": "○○さん宅の見守りについて意見交換",
    }
    created = await community.client.post("/support-councils", json=body, headers=shakyo)
    assert created.status_code == 201, created.text
    council_id = created.json()["council_meeting_id"]
    dup = await community.client.post("/support-councils", json=body, headers=shakyo)
    assert dup.status_code == 409

    [event] = await events_where(
        settings, "community", lambda e: e["payload"].get("council_meeting_id") == council_id, 1
    )
    assert event["payload"]["participants"] == 18
    assert event["payload"]["topic_codes"] == ["watching", "ibasho"]
    assert "○○さん" not in str(event)

    fy = held_on.year if held_on.month >= 4 else held_on.year - 1
    listed = await community.client.get(
        "/support-councils",
        params={"fiscal_year": fy, "school_district_code": district},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert council_id in [i["council_meeting_id"] for i in listed.json()["items"]]
    assert "notes" not in listed.json()["items"][0]

    bad = await community.client.post(
        "/support-councils", json=body | {"topic_codes": ["gossip"]}, headers=shakyo
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "topic_codes"
