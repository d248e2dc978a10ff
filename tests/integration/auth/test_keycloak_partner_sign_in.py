"""A 連携機関's staff sign in with the real Keycloak (realm infra/identity/kasane-realm.json):
the demo partner account's token carries agency=hellowork-kurume and the partner role, passes
the token rule, and a service lets it do partner things only."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from kasane.auth.issuers import build_token_verifier
from kasane.auth.keys import PUBLIC_NAME
from kasane.settings import Settings
from kasane_dev.local.keycloak_realm import issuer_url, load_realm, realm_for_import
from kasane_dev.testing.infra import TestKeycloak
from kasane_dev.testing.services import RunningService
from tests.conftest import ServiceStarter
from tests.integration.auth.keycloak_admin import KeycloakAdmin, access_token

pytestmark = pytest.mark.integration

PARTNER_USER = "hellowork-partner"


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=60) as client:
        yield client


@pytest.fixture
async def partner_realm(keycloak: TestKeycloak, http: httpx.AsyncClient) -> AsyncIterator[str]:
    """This branch's realm file imported under a fresh name (the shared Keycloak may hold an
    older import of "kasane"), with the demo partner account only; removed afterwards."""
    name = f"kasane-partner-{uuid.uuid4().hex[:8]}"
    realm = realm_for_import(load_realm(), production=False)
    realm["realm"] = name
    realm["users"] = [u for u in realm["users"] if u["username"] == PARTNER_USER]
    admin = KeycloakAdmin(keycloak, http)
    await admin.call("POST", "", realm)
    yield name
    await admin.call("DELETE", f"/{name}")


@pytest.fixture(scope="session")
async def referral(services: ServiceStarter) -> RunningService:
    return await services("referral")


@pytest.fixture
def trusting_referral(
    referral: RunningService, settings: Settings, keycloak: TestKeycloak, partner_realm: str
) -> Iterator[RunningService]:
    """The session's referral, trusting the partner realm as `kasane up` configures it."""
    app = importlib.import_module("referral.app").app
    saved = app.state.token_verifier
    issuer = issuer_url(keycloak.base_url, partner_realm)
    configured = settings.model_copy(update={"oidc_issuers": [issuer]})
    public = (settings.keys_dir / PUBLIC_NAME).read_bytes()
    app.state.token_verifier = build_token_verifier(configured, public)
    yield referral
    app.state.token_verifier = saved


async def test_demo_partner_signs_in_with_the_partner_role(
    trusting_referral: RunningService,
    keycloak: TestKeycloak,
    http: httpx.AsyncClient,
    partner_realm: str,
) -> None:
    token = await access_token(http, keycloak, PARTNER_USER, realm=partner_realm)
    verifier = importlib.import_module("referral.app").app.state.token_verifier
    principal = verifier.verify(token)
    assert (principal.agency, principal.roles) == ("hellowork-kurume", frozenset({"partner"}))

    bearer = {"Authorization": f"Bearer {token}"}
    directory = await trusting_referral.client.get("/partners", headers=bearer)
    assert directory.status_code == 200, directory.text
    received = await trusting_referral.client.get(
        "/referrals", params={"direction": "received"}, headers=bearer
    )
    assert received.status_code == 200, received.text
    # Answering referrals, not sending them: the partner role is not case work.
    sent = await trusting_referral.client.post(
        "/referrals",
        json={"case_id": str(uuid.uuid4()), "to_agency": "jiritsu", "reason_codes": ["employment"]},
        headers=bearer,
    )
    assert sent.status_code == 403, sent.text
