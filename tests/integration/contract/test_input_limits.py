"""The inputs that answered 500 (found by schemathesis) now answer 422 and write nothing.

Real services on the real broker and database: numbers that overflow PostgreSQL's integer
columns, a NUL character in free text (PostgreSQL text cannot hold it), and numbers sent
as dates. Each 422 names the field and gives the reason in Japanese and English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import httpx
import pytest

from kasane_dev.testing.services import RunningService
from tests.conftest import ServiceStarter
from tests.integration.fixtures_data import table_count
from tests.integration.intake.intake_steps import consultation, household_case, person_body

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
TOO_BIG_FOR_BIGINT = 2**63  # 9223372036854775808: one past PostgreSQL's bigint
NUL = "\u0000"


def assert_rejected(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "validation_error"
    named = {e["field"]: e["reason"] for e in body["errors"]}
    assert field in named, body
    assert " / " in named[field], named[field]  # 日本語 / English


@pytest.fixture
async def community(services: ServiceStarter) -> RunningService:
    return await services("community")


@pytest.fixture
async def outreach(services: ServiceStarter) -> RunningService:
    return await services("outreach")


@pytest.fixture
async def participation(services: ServiceStarter) -> RunningService:
    return await services("participation")


@pytest.fixture
async def referral(services: ServiceStarter) -> RunningService:
    return await services("referral")


@pytest.mark.parametrize(
    ("path", "params", "field", "who"),
    [
        ("/cases", {"offset": TOO_BIG_FOR_BIGINT}, "offset", ("houkatsu-05", "counselor")),
        ("/queue", {"offset": TOO_BIG_FOR_BIGINT}, "offset", ("houkatsu-05", "counselor")),
        (
            "/audit",
            {"after_seq": TOO_BIG_FOR_BIGINT},
            "after_seq",
            ("city-chiiki-fukushi", "auditor"),
        ),
        (
            f"/persons/{uuid4()}/access-log",
            {"after_seq": TOO_BIG_FOR_BIGINT},
            "after_seq",
            ("city-chiiki-fukushi", "auditor"),
        ),
        (
            "/audit",
            {"record_type": f"case{NUL}"},
            "record_type",
            ("city-chiiki-fukushi", "auditor"),
        ),
    ],
)
async def test_intake_query_overflow_and_nul_answer_422(
    intake: RunningService,
    auth: Auth,
    path: str,
    params: dict[str, Any],
    field: str,
    who: tuple[str, str],
) -> None:
    assert_rejected(await intake.client.get(path, params=params, headers=auth(*who)), field)


@pytest.mark.parametrize(
    ("probe", "field"),
    [({"kana": f"ア{NUL}"}, "kana"), ({"birth_date": 0}, "birth_date")],
)
async def test_duplicate_probe_with_nul_or_numeric_date_answers_422(
    intake: RunningService, auth: Auth, probe: dict[str, Any], field: str
) -> None:
    response = await intake.client.post(
        "/persons/duplicates", json=probe, headers=auth("houkatsu-05", "counselor")
    )
    assert_rejected(response, field)


@pytest.mark.parametrize(
    ("path", "table", "body", "field"),
    [
        ("/persons", "persons", person_body(name=f"久留米{NUL}花子"), "name"),
        ("/persons", "persons", person_body(address=f"城南町{NUL}"), "address"),
        (
            "/consultations",
            "consultations",
            consultation(narrative=f"外出{NUL}しない"),
            "narrative",
        ),
        ("/consultations", "consultations", consultation(received_at=0), "received_at"),
    ],
)
async def test_intake_nul_in_free_text_answers_422_and_writes_nothing(
    intake: RunningService, auth: Auth, path: str, table: str, body: dict[str, Any], field: str
) -> None:
    before = await table_count(intake.dsn, table)
    response = await intake.client.post(path, json=body, headers=auth("houkatsu-05", "counselor"))
    assert_rejected(response, field)
    assert await table_count(intake.dsn, table) == before


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"kind": "call", "occurred_at": "2025-06-11T10:00:00+09:00", "body": f"a{NUL}b"}, "body"),
        ({"kind": "call", "occurred_at": 0, "body": "電話で様子を聞いた"}, "occurred_at"),
    ],
)
async def test_case_record_with_nul_or_numeric_time_answers_422(
    intake: RunningService, auth: Auth, record: dict[str, Any], field: str
) -> None:
    staff = auth("houkatsu-05", "counselor")
    ids = await household_case(intake, staff)
    before = await table_count(intake.dsn, "case_records")
    response = await intake.client.post(f"/cases/{ids['case']}/records", json=record, headers=staff)
    assert_rejected(response, field)
    assert await table_count(intake.dsn, "case_records") == before


async def test_council_participants_beyond_integer_answers_422(
    community: RunningService, auth: Auth
) -> None:
    body = {
        "school_district_code": "03",
        "held_on": "2024-05-01",
        "participants": 3_000_000_000,
        "topic_codes": [],
    }
    before = await table_count(community.dsn, "support_councils")
    response = await community.client.post(
        "/support-councils", json=body, headers=auth("shakyo", "coordinator")
    )
    assert_rejected(response, "participants")
    assert await table_count(community.dsn, "support_councils") == before


async def test_concern_with_nul_answers_422(community: RunningService, auth: Auth) -> None:
    body = {
        "school_district_code": "12",
        "reporter_type": "business",
        "urgency": "urgent",
        "issue_codes": ["isolation"],
        "noticed": f"新聞が{NUL}たまっている",
        "location": "○○町3丁目",
    }
    before = await table_count(community.dsn, "concerns")
    response = await community.client.post(
        "/concerns", json=body, headers=auth("shakyo", "coordinator")
    )
    assert_rejected(response, "noticed")
    assert await table_count(community.dsn, "concerns") == before


async def test_outreach_target_with_nul_answers_422(outreach: RunningService, auth: Auth) -> None:
    body = {
        "source": "minsei_iin",
        "description": f"雨戸が{NUL}閉まっている",
        "school_district_code": "08",
    }
    before = await table_count(outreach.dsn, "targets")
    response = await outreach.client.post(
        "/targets", json=body, headers=auth("shakyo", "coordinator")
    )
    assert_rejected(response, "description")
    assert await table_count(outreach.dsn, "targets") == before


async def test_participation_resource_with_nul_answers_422(
    participation: RunningService, auth: Auth
) -> None:
    body = {
        "organization": {"name": f"NPO法人{NUL}ひだまり"},
        "service": {"name": "居場所ひだまり", "category": "ibasho"},
        "location": {"name": "ひだまりハウス", "school_district_code": "01"},
    }
    before = await table_count(participation.dsn, "resources")
    response = await participation.client.post(
        "/resources", json=body, headers=auth("aso", "coordinator")
    )
    assert_rejected(response, "organization.name")
    assert await table_count(participation.dsn, "resources") == before


async def test_referral_as_of_number_is_not_a_date(referral: RunningService, auth: Auth) -> None:
    response = await referral.client.get(
        "/referrals", params={"as_of": 0}, headers=auth("houkatsu-05", "counselor")
    )
    assert_rejected(response, "as_of")


async def test_path_parameter_with_nul_answers_422(community: RunningService, auth: Auth) -> None:
    response = await community.client.get(
        "/programs/civic%00activity", headers=auth("shakyo", "coordinator")
    )
    assert_rejected(response, "program_code")


async def test_openapi_documents_the_error_bodies(intake: RunningService) -> None:
    document = (await intake.client.get("/openapi.json")).json()
    operation = document["paths"]["/cases/{case_id}/records"]["post"]
    for status in ("401", "403", "404", "409", "422", "503"):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}, status
