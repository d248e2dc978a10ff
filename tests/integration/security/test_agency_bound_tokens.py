"""A signed token is not enough: its agency must exist and its roles must fit the agency's
kind (kasane.auth.agency_rules). Otherwise every service answers 401 to a write and to a
read, and nothing is written (issue 12 item 2)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest

from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import consultation_body

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
ServiceStarter = Callable[[str], Awaitable[RunningService]]

MISFITS = [
    ("houkatsu-99", "counselor"),  # no such agency
    ("", "counselor"),  # empty agency
    ("houkatsu-99", "city_official"),
    ("shakyo", "counselor"),  # 事業者 have no counselors
    ("jiritsu", "city_official"),  # a consultation agency is not the city
    ("jiritsu", "auditor"),
    ("city-chiiki-fukushi", "counselor"),  # the city does no case work
]

FY = 2025
# service → (write, read, the table the write would fill); a valid body where it is cheap.
ROUTES: dict[str, tuple[tuple[str, str, Any], tuple[str, str], str]] = {
    "intake": (
        ("POST", "/consultations", consultation_body(FY)),
        ("GET", "/cases"),
        "consultations",
    ),
    "referral": (("POST", "/referrals", {}), ("GET", "/referrals"), "referrals"),
    "participation": (("POST", "/resources", {}), ("GET", "/resources"), "resources"),
    "community": (
        (
            "POST",
            "/concerns",
            {
                "school_district_code": "12",
                "reporter_type": "business",
                "urgency": "urgent",
                "issue_codes": ["isolation"],
            },
        ),
        ("GET", "/concerns"),
        "concerns",
    ),
    "outreach": (("POST", "/targets", {}), ("GET", "/targets"), "targets"),
    "meetings": (
        ("POST", "/meetings", {"type": "support_meeting", "date": "2025-07-01"}),
        ("GET", "/meetings"),
        "meetings",
    ),
    "indicators": (
        ("PUT", f"/targets/plans_outreach/{FY}", {"target": 12}),
        ("GET", f"/indicators/consultations?fiscal_year={FY}"),
        "targets",
    ),
}


async def _counts(dsn: str, table: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        counts = {}
        for name in (table, "outbox", "access_audit"):
            if await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", name):
                counts[name] = int(await conn.fetchval(f"SELECT count(*) FROM {name}"))
        return counts
    finally:
        await conn.close()


@pytest.mark.parametrize("service_name", list(ROUTES))
async def test_misfit_tokens_are_401_on_a_write_and_a_read_and_nothing_is_written(
    service_name: str, services: ServiceStarter, misfit_auth: Auth, auth: Auth
) -> None:
    service = await services(service_name)
    (method, path, body), (read_method, read_path), table = ROUTES[service_name]
    before = await _counts(service.dsn, table)
    for agency, role in MISFITS:
        headers = misfit_auth(agency, role)
        wrote = await service.client.request(method, path, json=body, headers=headers)
        assert wrote.status_code == 401, (service_name, agency, role, wrote.text)
        assert wrote.headers["www-authenticate"] == "Bearer"
        read = await service.client.request(read_method, read_path, headers=headers)
        assert read.status_code == 401, (service_name, agency, role, read.text)
    assert await _counts(service.dsn, table) == before
    # Control: a fitting token of the same service gets past authentication.
    fitting = auth("city-chiiki-fukushi", "city_official")
    if service_name in ("intake", "referral", "participation", "outreach"):
        fitting = auth("shakyo", "coordinator")
    read = await service.client.request(read_method, read_path, headers=fitting)
    assert read.status_code != 401, read.text


async def test_misfit_token_cannot_read_the_dashboards_reports(
    services: ServiceStarter, misfit_auth: Auth, auth: Auth
) -> None:
    # The dashboard's browser sign-in goes through the identity provider and verifies the
    # access token with the same verifier (tests/integration/auth); here the bearer path.
    indicators = await services("indicators")
    csv = f"/indicators.csv?fiscal_year={FY}"
    for agency in ("houkatsu-99", ""):
        token = misfit_auth(agency, "city_official")["Authorization"].removeprefix("Bearer ")
        by_header = await indicators.client.get(csv, headers={"Authorization": f"Bearer {token}"})
        assert by_header.status_code == 401, by_header.text
        # A token is no session: only a session secret issued at sign-in opens the cookie path.
        as_cookie = await indicators.client.get(csv, headers={"Cookie": f"kasane_session={token}"})
        assert as_cookie.status_code == 401
    control = await indicators.client.get(csv, headers=auth("city-chiiki-fukushi", "city_official"))
    assert control.status_code == 200, control.text
