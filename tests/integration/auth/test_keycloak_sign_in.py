"""Tokens from the real embedded Keycloak (realm infra/identity/kasane-realm.json) against a
real service: what a demo account may read, and every way a token must be refused (401)."""

from __future__ import annotations

import asyncio
import importlib
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from kasane.auth.issuers import build_token_verifier
from kasane.auth.keys import PUBLIC_NAME
from kasane.settings import Settings
from kasane_dev.testing.infra import TestKeycloak
from kasane_dev.testing.services import RunningService
from tests.integration.auth.keycloak_admin import (
    TEST_PASSWORD,
    KeycloakAdmin,
    access_token,
    password_token,
)
from tests.integration.intake.intake_steps import household_case

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def trusting_intake(
    intake: RunningService, settings: Settings, keycloak: TestKeycloak
) -> Iterator[RunningService]:
    """The session's intake, trusting the test Keycloak as `kasane up` configures it
    (KASANE_OIDC_ISSUERS), with no clock leeway so a short-lived token expires promptly."""
    app = importlib.import_module("intake.app").app
    saved = app.state.token_verifier
    configured = settings.model_copy(update={"oidc_issuers": [keycloak.issuer], "oidc_leeway_s": 0})
    public = (settings.keys_dir / PUBLIC_NAME).read_bytes()
    app.state.token_verifier = build_token_verifier(configured, public)
    yield intake
    app.state.token_verifier = saved


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=60) as client:
        yield client


@pytest.fixture
def admin(keycloak: TestKeycloak, http: httpx.AsyncClient) -> KeycloakAdmin:
    return KeycloakAdmin(keycloak, http)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_demo_users_token_reads_its_agency_and_nothing_else(
    trusting_intake: RunningService, keycloak: TestKeycloak, http: httpx.AsyncClient
) -> None:
    intake = trusting_intake
    jiritsu = _bearer(await access_token(http, keycloak, "jiritsu-counselor"))
    ids = await household_case(intake, jiritsu)  # written with the Keycloak token
    assert (await intake.client.get(f"/cases/{ids['case']}", headers=jiritsu)).status_code == 200
    person = await intake.client.get(f"/persons/{ids['son']}", headers=jiritsu)
    assert person.status_code == 200
    # Another agency's demo account: the same 404 as for a case that does not exist.
    houkatsu = _bearer(await access_token(http, keycloak, "houkatsu01-counselor"))
    for path in (f"/cases/{ids['case']}", f"/persons/{ids['son']}"):
        assert (await intake.client.get(path, headers=houkatsu)).status_code == 404
    # The city official sees no person at all.
    city = _bearer(await access_token(http, keycloak, "city-official"))
    assert (await intake.client.get(f"/persons/{ids['son']}", headers=city)).status_code in (
        403,
        404,
    )


async def _refused(intake: RunningService, token: str) -> str:
    response = await intake.client.get(f"/cases/{uuid.uuid4()}", headers=_bearer(token))
    assert response.status_code == 401, response.text
    return response.text


async def test_token_from_another_realm_is_refused(
    trusting_intake: RunningService,
    keycloak: TestKeycloak,
    http: httpx.AsyncClient,
    admin: KeycloakAdmin,
) -> None:
    # Same clients, groups, mappers and user: only the realm (the issuer) differs.
    await admin.create_copy_of_realm("kasane-other")
    token = await access_token(http, keycloak, "jiritsu-counselor", realm="kasane-other")
    assert "not trusted" in await _refused(trusting_intake, token)


async def test_token_without_the_kasane_audience_is_refused(
    trusting_intake: RunningService,
    keycloak: TestKeycloak,
    http: httpx.AsyncClient,
    admin: KeycloakAdmin,
) -> None:
    await admin.create_cli_like_client("test-no-audience", audience=False)
    token = await access_token(http, keycloak, "jiritsu-counselor", client_id="test-no-audience")
    assert "aud" in (await _refused(trusting_intake, token)).lower()


async def test_expired_token_is_refused(
    trusting_intake: RunningService,
    keycloak: TestKeycloak,
    http: httpx.AsyncClient,
    admin: KeycloakAdmin,
) -> None:
    await admin.create_cli_like_client("test-short-lived", lifespan_s=1)
    token = await access_token(http, keycloak, "jiritsu-counselor", client_id="test-short-lived")
    await asyncio.sleep(2.5)
    assert "expired" in (await _refused(trusting_intake, token)).lower()


async def test_token_with_an_unknown_agency_attribute_is_refused(
    trusting_intake: RunningService,
    keycloak: TestKeycloak,
    http: httpx.AsyncClient,
    admin: KeycloakAdmin,
) -> None:
    # A mis-provisioned group: the attribute names no agency in the reference data.
    await admin.create_group("test-npo-unknown", "npo-unknown")
    await admin.create_user("test-unknown-agency", "test-npo-unknown", "counselor")
    token = await access_token(http, keycloak, "test-unknown-agency", password=TEST_PASSWORD)
    assert "unknown agency" in await _refused(trusting_intake, token)


async def test_repeated_wrong_passwords_lock_the_account(
    keycloak: TestKeycloak, http: httpx.AsyncClient, admin: KeycloakAdmin
) -> None:
    user_id = await admin.create_user("test-lockout", "jiritsu", "counselor")
    failures = 5  # the realm's failureFactor
    for _ in range(failures):
        wrong = await password_token(http, keycloak, "test-lockout", "Wrong-password-1")
        assert wrong.status_code == 401
    status = await admin.brute_force_status(user_id)
    # Locked (temporarily); failures in quick succession lock even before failureFactor.
    assert status["disabled"] is True and status["numFailures"] >= 1
    # Locked: even the right password is refused now.
    right = await password_token(http, keycloak, "test-lockout", TEST_PASSWORD)
    assert right.status_code in (400, 401) and "access_token" not in right.json()


async def test_auditor_must_set_up_two_factor_before_any_token(
    keycloak: TestKeycloak, http: httpx.AsyncClient
) -> None:
    # CONFIGURE_TOTP is required for auditors: no token until OTP is set up in the browser.
    response = await password_token(http, keycloak, "city-auditor", "Kasane-demo-2025")
    assert response.status_code == 400
    assert response.json()["error_description"] == "Account is not fully set up"
