"""`kasane keycloak sync-groups` against the real Keycloak: a realm imported before a party
was added gets that party's group, its staff then sign in with the party's `agency` claim,
and existing groups are left alone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest

from kasane.reference.partners import get_partner
from kasane_dev.cli.keycloak import sync_groups
from kasane_dev.local.keycloak_realm import ADMIN_USER, load_realm, realm_for_import
from kasane_dev.testing.infra import TestKeycloak
from tests.integration.auth.keycloak_admin import TEST_PASSWORD, KeycloakAdmin, access_token

pytestmark = pytest.mark.integration

# A 連携機関 the city added after its realm was imported, and an agency whose group an
# administrator renamed by hand: both are missing by name.
LATE_PARTNER = "minsei-kyogikai"
LATE_AGENCY = "houkatsu-04"


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=60) as client:
        yield client


@pytest.fixture
async def old_realm(keycloak: TestKeycloak, http: httpx.AsyncClient) -> AsyncIterator[str]:
    """The realm file imported under a fresh name without two parties' groups; removed after."""
    name = f"kasane-sync-{uuid.uuid4().hex[:8]}"
    realm = realm_for_import(load_realm(), production=False)
    realm["realm"] = name
    realm["users"] = []
    realm["groups"] = [g for g in realm["groups"] if g["name"] not in {LATE_PARTNER, LATE_AGENCY}]
    admin = KeycloakAdmin(keycloak, http)
    await admin.call("POST", "", realm)
    yield name
    await admin.call("DELETE", f"/{name}")


def _claims(token: str) -> dict[str, object]:
    # Only read here; the services' verification of such tokens is tested elsewhere.
    claims: dict[str, object] = jwt.decode(token, options={"verify_signature": False})
    return claims


async def test_sync_creates_the_missing_groups_once_and_their_staff_sign_in(
    keycloak: TestKeycloak, http: httpx.AsyncClient, old_realm: str
) -> None:
    lines: list[str] = []

    def sync(dry_run: bool = False) -> list[str]:
        return sync_groups(
            keycloak.base_url, ADMIN_USER, keycloak.admin_password, realm=old_realm,
            dry_run=dry_run, report=lines.append,
        )  # fmt: skip

    admin = KeycloakAdmin(keycloak, http)
    assert await asyncio.to_thread(sync, True) == [LATE_AGENCY, LATE_PARTNER]
    listed = (await admin.call("GET", f"/{old_realm}/groups?max=1000")).json()
    assert {g["name"] for g in listed} & {LATE_AGENCY, LATE_PARTNER} == set()  # dry: nothing

    assert await asyncio.to_thread(sync) == [LATE_AGENCY, LATE_PARTNER]
    assert await asyncio.to_thread(sync) == []  # nothing twice
    assert lines[-1] == f"realm {old_realm}: every agency and 連携機関 has its group"

    found = (await admin.call("GET", f"/{old_realm}/group-by-path/{LATE_PARTNER}")).json()
    assert found["attributes"] == {
        "agency": [LATE_PARTNER],
        "agency_kind": ["partner_organisation"],
        "name_ja": [get_partner(LATE_PARTNER).name_ja],
    }
    # The administrator's part: a user in the group with the partner role; the token then
    # carries the partner's id as its agency.
    await admin.create_user("late-partner-staff", LATE_PARTNER, "partner", realm=old_realm)
    token = await access_token(
        http, keycloak, "late-partner-staff", password=TEST_PASSWORD, realm=old_realm
    )
    claims = _claims(token)
    assert claims["agency"] == LATE_PARTNER
