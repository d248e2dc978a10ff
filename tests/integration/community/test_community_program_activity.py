"""地域づくり activity: each program's operator (per its 運営形態 in the catalog) reports it,
per component or facility; anyone else is refused, and the refusal is audited."""

from __future__ import annotations

import random
from typing import Any

import asyncpg
import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.community.community_support import Auth, events_where

pytestmark = pytest.mark.integration


@pytest.fixture
async def community(services: Any) -> RunningService:
    svc: RunningService = await services("community")
    return svc


async def _denials(dsn: str, program_code: str) -> list[tuple[str, str, str]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT actor_agency, action, outcome FROM access_audit"
            " WHERE record_type = 'program_activity' AND record_id = $1 ORDER BY id",
            program_code,
        )
        return [(r["actor_agency"], r["action"], r["outcome"]) for r in rows]
    finally:
        await conn.close()


async def test_each_operator_reports_its_own_program_per_component(
    community: RunningService, auth: Auth, settings: Settings
) -> None:
    fy = random.randint(2001, 2018)
    body = {"month": f"{fy}-06", "sessions": 3, "participants": 30}
    shogai = auth("city-shogai", "city_official")  # 地域活動支援センター: 団体補助, via the section
    shakyo = auth("shakyo", "coordinator")  # 地域介護予防活動支援: 委託
    centres = "/programs/activity_support_center/activity"
    reported = {}
    for unit, participants in (("type_1", 30), ("type_3", 45)):
        response = await community.client.post(
            centres,
            json=body | {"component_code": unit, "participants": participants},
            headers=shogai,
        )
        assert response.status_code == 201, response.text
        assert response.json()["component_code"] == unit
        reported[response.json()["report_id"]] = unit
    # The Ⅰ型 and Ⅲ型 centres are told apart (two reports, not a correction of one).
    assert len(reported) == 2
    events = await events_where(
        settings, "community", lambda e: e["payload"].get("report_id") in reported, 2
    )
    assert {e["payload"]["component_code"] for e in events} == {"type_1", "type_3"}

    courses = "/programs/community_care_prevention/activity"
    whole = await community.client.post(courses, json=body, headers=shakyo)
    assert whole.status_code == 422
    assert whole.json()["errors"][0]["field"] == "component_code"
    course = await community.client.post(
        courses, json=body | {"component_code": "doremi_course"}, headers=shakyo
    )
    assert course.status_code == 201, course.text
    wrong = await community.client.post(
        courses, json=body | {"component_code": "type_1"}, headers=shakyo
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "component_code"

    # 直営: the city section reports it.
    direct = await community.client.post(
        "/programs/childrearing_support_center/activity",
        json=body,
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert direct.status_code == 201, direct.text

    totals = await community.client.get(
        centres, params={"fiscal_year": fy}, headers=auth("city-chiiki-fukushi", "city_official")
    )
    assert totals.json()["participants"] == 75
    assert sorted(r["component_code"] for r in totals.json()["reports"]) == ["type_1", "type_3"]


async def test_another_agency_may_not_report_a_program_and_is_audited(
    community: RunningService, auth: Auth
) -> None:
    fy = random.randint(2001, 2018)
    body = {"month": f"{fy}-07", "component_code": "type_1", "sessions": 1, "participants": 9}
    centres = "/programs/activity_support_center/activity"
    before = await _denials(community.dsn, "activity_support_center")
    # 社協 operates other programs, not this one; a city section that does not run it either.
    for agency, role in (("shakyo", "manager"), ("city-choju", "city_official")):
        refused = await community.client.post(centres, json=body, headers=auth(agency, role))
        assert refused.status_code == 403, refused.text
        assert refused.json()["errors"][0]["field"] == "program_code"
    after = await _denials(community.dsn, "activity_support_center")
    assert after[len(before) :] == [
        ("shakyo", "report", "denied"),
        ("city-choju", "report", "denied"),
    ]
    # Nothing was written: the operator's first report of that month is still a creation.
    first = await community.client.post(centres, json=body, headers=auth("city-shogai", "manager"))
    assert first.status_code == 201, first.text
    assert first.json()["revision"] == 1
    # A role that never reports (監査担当) is refused by role.
    auditor = await community.client.post(
        centres, json=body, headers=auth("city-shogai", "auditor")
    )
    assert auditor.status_code == 403
