"""Refused before the record is looked up, and still audited (issue 12 item 5): a role that
may not act on a personal-record route of referral, participation, outreach, community or
meetings gets 403, and that service's access audit gets a denied row naming the record."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import asyncpg
import pytest

from kasane_dev.testing.services import RunningService

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
ServiceStarter = Callable[[str], Awaitable[RunningService]]

CITY = ("city-chiiki-fukushi", "city_official")
AUDITOR = ("city-choju", "auditor")

# service, method, path template, body, who, record type, audited action
ATTEMPTS = [
    ("referral", "GET", "/referrals/{id}", None, CITY, "referral", "read"),
    ("referral", "POST", "/referrals/{id}/accept", None, AUDITOR, "referral", "change"),
    ("participation", "GET", "/participants/{id}", None, CITY, "participant", "read"),
    ("participation", "POST", "/participants/{id}/steps", {}, AUDITOR, "participant", "change"),
    ("outreach", "GET", "/targets/{id}", None, CITY, "outreach_target", "read"),
    ("outreach", "GET", "/targets/{id}", None, ("jiritsu", "counselor"), "outreach_target", "read"),
    ("outreach", "POST", "/targets/{id}/contacts", {}, AUDITOR, "outreach_target", "change"),
    ("community", "GET", "/concerns/{id}", None, CITY, "concern", "read"),
    ("meetings", "GET", "/plans/{id}", None, AUDITOR, "plan", "read"),
    ("meetings", "PUT", "/plans/{id}", {}, CITY, "plan", "change"),
    # Another agency's coordinator on a plan only 社協 may change.
    ("meetings", "POST", "/plans/{id}/submit", None, ("kikan-02", "coordinator"), "plan", "change"),
]


async def _denials(dsn: str, record_id: str) -> list[tuple[str, str, str, str]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT actor_agency, record_type, action, outcome FROM access_audit"
            " WHERE record_id = $1 ORDER BY id",
            record_id,
        )
        return [(r["actor_agency"], r["record_type"], r["action"], r["outcome"]) for r in rows]
    finally:
        await conn.close()


@pytest.mark.parametrize(
    ("service_name", "method", "path", "body", "who", "record_type", "action"),
    ATTEMPTS,
    ids=[f"{a[0]}-{a[1]}-{a[2]}-{a[4][1]}" for a in ATTEMPTS],
)
async def test_role_refused_on_a_personal_record_is_403_and_audited(
    service_name: str,
    method: str,
    path: str,
    body: dict[str, str] | None,
    who: tuple[str, str],
    record_type: str,
    action: str,
    services: ServiceStarter,
    auth: Auth,
) -> None:
    service = await services(service_name)
    record_id = str(uuid.uuid4())
    response = await service.client.request(
        method, path.format(id=record_id), json=body, headers=auth(*who)
    )
    assert response.status_code == 403, response.text
    assert await _denials(service.dsn, record_id) == [(who[0], record_type, action, "denied")]


async def test_a_refusal_on_a_route_without_a_personal_record_writes_no_row(
    services: ServiceStarter, auth: Auth
) -> None:
    outreach = await services("outreach")
    conn = await asyncpg.connect(outreach.dsn)
    try:
        before = await conn.fetchval("SELECT count(*) FROM access_audit")
        response = await outreach.client.get("/targets", headers=auth(*AUDITOR))
        assert response.status_code == 403
        assert await conn.fetchval("SELECT count(*) FROM access_audit") == before
    finally:
        await conn.close()
