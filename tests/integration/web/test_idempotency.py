"""Idempotency-Key on a creating POST of every service, on the real database and broker.

Same key and body → one record, the first response replayed with ``Idempotent-Replayed``;
same key, other body → 422 naming the header; a key still in progress → 409; no key →
nothing changes (a second POST creates a second record).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest

from kasane.settings import Settings
from kasane.web.idempotency import fingerprint
from kasane_dev.testing.services import RunningService
from tests.conftest import ServiceStarter
from tests.integration.fixtures_data import consultation_body
from tests.integration.referral.referral_fixtures import open_case, record_consent

Auth = Callable[..., dict[str, str]]
REPLAYED = "Idempotent-Replayed"


@dataclass(frozen=True)
class Case:
    """One creating POST: where, who, a body and a different body, and what to count."""

    service: str
    path: str
    agency: tuple[str, str]
    table: str
    body: Callable[[int], dict[str, Any]]  # the i-th distinct valid body


def _concern(i: int) -> dict[str, Any]:
    return {
        "school_district_code": "12",
        "reporter_type": "business",
        "urgency": "urgent" if i % 2 else "normal",
        "issue_codes": ["isolation"],
        "noticed": f"新聞がたまっている ({i})",
        "location": "○○町3丁目",
    }


def _resource(i: int) -> dict[str, Any]:
    return {
        "organization": {"name": "NPO法人 ひだまり"},
        "service": {"name": f"居場所ひだまり{i}", "category": "ibasho"},
        "location": {"name": "ひだまりハウス", "school_district_code": "01"},
        "capacity": 3 + i,
    }


_MEETING_DAY = date(2040, 4, 2) + timedelta(days=uuid.uuid4().int % 3000)  # this run's own


def _meeting(i: int) -> dict[str, Any]:
    on = _MEETING_DAY + timedelta(days=i)
    return {"type": "support_meeting", "date": on.isoformat()}


def _survey(i: int) -> dict[str, Any]:
    return {
        "fiscal_year": 2024,
        "results": [{"question_id": "can_counsel", "respondents": 100 + i, "yes": 40}],
    }


def _target(i: int) -> dict[str, Any]:
    return {
        "source": "minsei_iin",
        "description": f"長くひきこもっている様子 ({i})",
        "school_district_code": "08",
    }


CASES = [
    Case("intake", "/consultations", ("jiritsu", "counselor"), "consultations",
         lambda i: consultation_body(2024, age_band=["40-49", "50-59", "60-69"][i % 3])),
    Case("community", "/concerns", ("shakyo", "coordinator"), "concerns", _concern),
    Case("participation", "/resources", ("aso", "coordinator"), "resources", _resource),
    Case("outreach", "/targets", ("shakyo", "coordinator"), "targets", _target),
    Case("meetings", "/meetings", ("shakyo", "coordinator"), "meetings", _meeting),
    Case("indicators", "/surveys", ("city-chiiki-fukushi", "city_official"), "survey_loads",
         _survey),
]  # fmt: skip


async def count(dsn: str, table: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await conn.close()


async def check_key_semantics(
    svc: RunningService,
    path: str,
    headers: dict[str, str],
    table: str,
    body: Callable[[int], dict[str, Any]],
) -> None:
    key = {"Idempotency-Key": f'"{uuid.uuid4()}"'}
    before = await count(svc.dsn, table)

    first = await svc.client.post(path, json=body(0), headers={**headers, **key})
    assert first.status_code in (200, 201), first.text
    assert REPLAYED not in first.headers
    retry = await svc.client.post(path, json=body(0), headers={**headers, **key})
    assert (retry.status_code, retry.json()) == (first.status_code, first.json())
    assert retry.headers[REPLAYED] == "true"
    assert retry.headers["content-type"] == first.headers["content-type"]
    assert await count(svc.dsn, table) == before + 1

    other = await svc.client.post(path, json=body(1), headers={**headers, **key})
    assert other.status_code == 422, other.text
    assert [e["field"] for e in other.json()["errors"]] == ["Idempotency-Key"]
    assert await count(svc.dsn, table) == before + 1

    # Without a key: unchanged behaviour, a second POST is a second record.
    plain = await svc.client.post(path, json=body(0), headers=headers)
    assert plain.status_code == first.status_code, plain.text
    assert REPLAYED not in plain.headers
    assert await count(svc.dsn, table) == before + 2


@pytest.mark.parametrize("case", CASES, ids=[c.service for c in CASES])
async def test_same_key_replays_one_record(
    case: Case, services: ServiceStarter, auth: Auth
) -> None:
    svc = await services(case.service)
    await check_key_semantics(svc, case.path, auth(*case.agency), case.table, case.body)


async def test_referral_same_key_replays_one_record(
    services: ServiceStarter, auth: Auth, settings: Settings
) -> None:
    referral = await services("referral")
    owner, receivers = "houkatsu-02", ["jiritsu", "kikan-02"]
    case_id = await open_case(settings, referral, owner)
    await record_consent(settings, referral, case_id, owner, agencies=receivers)

    def body(i: int) -> dict[str, Any]:
        # Two receivers: the no-key repeat is a second referral, to the other agency.
        return {"case_id": str(case_id), "to_agency": receivers[i % 2], "reason_codes": ["debt"]}

    key = {"Idempotency-Key": str(uuid.uuid4())}  # a bare token is accepted too
    headers = auth(owner, "counselor")
    first = await referral.client.post("/referrals", json=body(0), headers={**headers, **key})
    assert first.status_code == 201, first.text
    retry = await referral.client.post("/referrals", json=body(0), headers={**headers, **key})
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry.headers[REPLAYED] == "true"
    other = await referral.client.post("/referrals", json=body(1), headers={**headers, **key})
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await count_where(referral.dsn, "referrals", "case_id", case_id) == 1
    plain = await referral.client.post("/referrals", json=body(1), headers=headers)
    assert plain.status_code == 201 and REPLAYED not in plain.headers
    assert await count_where(referral.dsn, "referrals", "case_id", case_id) == 2


async def count_where(dsn: str, table: str, column: str, value: Any) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM {table} WHERE {column} = $1", value))
    finally:
        await conn.close()


async def test_keys_are_per_agency(services: ServiceStarter, auth: Auth) -> None:
    intake = await services("intake")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = consultation_body(2024)
    mine = await intake.client.post(
        "/consultations", json=body, headers={**auth("jiritsu", "counselor"), **key}
    )
    theirs = await intake.client.post(
        "/consultations", json=body, headers={**auth("kodomo", "counselor"), **key}
    )
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert REPLAYED not in theirs.headers
    assert mine.json()["consultation_id"] != theirs.json()["consultation_id"]


async def test_key_in_progress_is_409(services: ServiceStarter, auth: Auth) -> None:
    intake = await services("intake")
    key, body = str(uuid.uuid4()), consultation_body(2024)
    headers = {**auth("jiritsu", "counselor"), "Idempotency-Key": key}
    # A first request still running holds the key: claim it as the middleware does,
    # from another connection, with a fresh lease.
    print_ = fingerprint("POST", "/consultations", b"", json.dumps(body).encode())
    conn = await asyncpg.connect(intake.dsn)
    try:
        await conn.execute(
            "INSERT INTO idempotency_keys (agency, key, fingerprint, method, path, owner,"
            " locked_at) VALUES ('jiritsu', $1, $2, 'POST', '/consultations', $3, now())",
            key,
            print_,
            uuid.uuid4(),
        )
        before = await count(intake.dsn, "consultations")
        busy = await intake.client.post("/consultations", json=body, headers=headers)
        assert busy.status_code == 409, busy.text
        assert busy.json()["errors"][0]["field"] == "Idempotency-Key"
        assert await count(intake.dsn, "consultations") == before
        # Its process died: past the lease the key is free to run again.
        await conn.execute(
            "UPDATE idempotency_keys SET locked_at = now() - interval '1 hour' WHERE key = $1",
            key,
        )
        taken = await intake.client.post("/consultations", json=body, headers=headers)
        assert taken.status_code == 201, taken.text
        assert await count(intake.dsn, "consultations") == before + 1
    finally:
        await conn.close()


async def test_refusal_is_not_stored(services: ServiceStarter, auth: Auth) -> None:
    """A 4xx wrote nothing, so the same key may carry the corrected request."""
    intake = await services("intake")
    headers = {**auth("jiritsu", "counselor"), "Idempotency-Key": str(uuid.uuid4())}
    bad = consultation_body(2024, issue_codes=["nope"])
    refused = await intake.client.post("/consultations", json=bad, headers=headers)
    assert refused.status_code == 422
    again = await intake.client.post("/consultations", json=bad, headers=headers)
    assert again.status_code == 422 and REPLAYED not in again.headers
    good = await intake.client.post("/consultations", json=consultation_body(2024), headers=headers)
    assert good.status_code == 201, good.text


@pytest.mark.parametrize("raw", [b'""', b"x" * 256, "鍵".encode(), b"a\\b"])
async def test_bad_key_is_422(raw: bytes, services: ServiceStarter, auth: Auth) -> None:
    intake = await services("intake")
    before = await count(intake.dsn, "consultations")
    # Raw bytes: httpx would refuse a non-ASCII str header before it reaches the service.
    token = auth("jiritsu", "counselor")["Authorization"].encode()
    headers = [(b"Authorization", token), (b"Idempotency-Key", raw)]
    response = await intake.client.post(
        "/consultations", json=consultation_body(2024), headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await count(intake.dsn, "consultations") == before


async def test_outreach_contact_keeps_its_domain_rule(services: ServiceStarter, auth: Auth) -> None:
    """The header and the client-generated contact_id: one replay header, one record."""
    outreach = await services("outreach")
    headers = auth("shakyo", "coordinator")
    target = await outreach.client.post("/targets", json=_target(0), headers=headers)
    assert target.status_code == 201, target.text
    path = f"/targets/{target.json()['target_id']}/contacts"
    contact = {
        "contact_id": str(uuid.uuid4()),
        "method": "visit",
        "result": "absent",
        "attempted_on": "2025-05-01",
    }
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await outreach.client.post(path, json=contact, headers={**headers, **key})
    assert first.status_code == 201 and REPLAYED not in first.headers
    by_key = await outreach.client.post(path, json=contact, headers={**headers, **key})
    assert by_key.headers[REPLAYED] == "true" and by_key.json() == first.json()
    # A retry with a fresh key (or none) is still recognised by its contact_id.
    by_id = await outreach.client.post(
        path, json=contact, headers={**headers, "Idempotency-Key": str(uuid.uuid4())}
    )
    assert by_id.headers[REPLAYED] == "true" and by_id.json() == first.json()
    listed = await outreach.client.get(path, headers=headers)
    assert [c["contact_id"] for c in listed.json()] == [contact["contact_id"]]


async def test_concurrent_retry_while_first_runs_is_409(
    services: ServiceStarter, auth: Auth
) -> None:
    """A real first request held inside its transaction (a table lock): the retry is 409,
    and once the first finishes, the retry replays it."""
    intake = await services("intake")
    headers = {**auth("jiritsu", "counselor"), "Idempotency-Key": str(uuid.uuid4())}
    body = consultation_body(2024)
    before = await count(intake.dsn, "consultations")
    blocker = await asyncpg.connect(intake.dsn)
    try:
        lock = blocker.transaction()
        await lock.start()
        await blocker.execute("LOCK TABLE consultations IN SHARE MODE")  # blocks INSERTs
        first = asyncio.create_task(
            intake.client.post("/consultations", json=body, headers=headers)
        )
        for _ in range(200):
            await blocker.execute("SELECT pg_stat_clear_snapshot()")
            waiting = await blocker.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock'"
            )
            if waiting:
                break
            await asyncio.sleep(0.05)
        assert waiting, "the first request never reached the lock"
        retry = await asyncio.wait_for(
            intake.client.post("/consultations", json=body, headers=headers), 10
        )
        assert retry.status_code == 409, retry.text
        assert retry.json()["errors"][0]["field"] == "Idempotency-Key"
        assert retry.headers["Retry-After"] == "1"
        await lock.commit()
    finally:
        await blocker.close()
    done = await first
    assert done.status_code == 201, done.text
    again = await intake.client.post("/consultations", json=body, headers=headers)
    assert again.headers[REPLAYED] == "true" and again.json() == done.json()
    assert await count(intake.dsn, "consultations") == before + 1


async def test_patch_retry_replays_instead_of_conflicting(
    services: ServiceStarter, auth: Auth
) -> None:
    """A versioned PATCH whose answer was lost: without a key the retry is refused (its
    If-Match is stale by then); with the same key it gets the first answer back."""
    outreach = await services("outreach")
    headers = auth("shakyo", "coordinator")
    created = await outreach.client.post("/targets", json=_target(0), headers=headers)
    assert created.status_code == 201, created.text
    path = f"/targets/{created.json()['target_id']}"
    tag = (await outreach.client.get(path, headers=headers)).headers["ETag"]
    change = {"description": "雨戸の家（表札なし）"}
    keyed = {**headers, "If-Match": tag, "Idempotency-Key": str(uuid.uuid4())}
    first = await outreach.client.patch(path, json=change, headers=keyed)
    assert first.status_code == 200, first.text
    retry = await outreach.client.patch(path, json=change, headers=keyed)
    assert (retry.status_code, retry.json()) == (200, first.json())
    assert retry.headers["ETag"] == first.headers["ETag"]
    assert retry.headers[REPLAYED] == "true"
    unkeyed = await outreach.client.patch(path, json=change, headers={**headers, "If-Match": tag})
    assert unkeyed.status_code in (409, 412), unkeyed.text  # the stale version, as before
    now = await outreach.client.get(path, headers=headers)
    assert now.headers["ETag"] == first.headers["ETag"]  # one change, not two
