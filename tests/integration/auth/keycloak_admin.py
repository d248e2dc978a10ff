"""A thin client of Keycloak's admin REST API, for arranging test users, clients, realms."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from kasane_dev.local.keycloak_realm import CLI_CLIENT, REALM, load_realm, realm_for_import
from kasane_dev.testing.infra import TestKeycloak

DEMO_PASSWORD = "Kasane-demo-2025"  # every demo account's (development only, see README)
TEST_PASSWORD = "Test-password-2025"


class KeycloakAdmin:
    def __init__(self, kc: TestKeycloak, client: httpx.AsyncClient) -> None:
        self.kc = kc
        self.http = client

    async def _headers(self) -> dict[str, str]:
        response = await self.http.post(
            f"{self.kc.base_url}/realms/master/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": "admin",
                "password": self.kc.admin_password,
            },
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        response = await self.http.request(
            method, f"{self.kc.base_url}/admin/realms{path}", json=body,
            headers=await self._headers(),
        )  # fmt: skip
        assert response.status_code < 300 or response.status_code == 409, response.text
        return response

    async def create_user(
        self, username: str, agency_group: str, role: str, realm: str = REALM
    ) -> str:
        await self.call("POST", f"/{realm}/users", {
            "username": username, "enabled": True, "email": f"{username}@example.invalid",
            "emailVerified": True, "firstName": "テスト", "lastName": "利用者",
            "credentials": [{"type": "password", "value": TEST_PASSWORD, "temporary": False}],
            "groups": [f"/{agency_group}"],
        })  # fmt: skip
        user_id = await self.user_id(username, realm)
        role_rep = (await self.call("GET", f"/{realm}/roles/{role}")).json()
        await self.call("POST", f"/{realm}/users/{user_id}/role-mappings/realm", [role_rep])
        return user_id

    async def user_id(self, username: str, realm: str = REALM) -> str:
        found = await self.call("GET", f"/{realm}/users?username={username}&exact=true")
        return str(found.json()[0]["id"])

    async def create_group(self, name: str, agency: str) -> None:
        await self.call(
            "POST", f"/{REALM}/groups", {"name": name, "attributes": {"agency": [agency]}}
        )

    async def create_cli_like_client(
        self, client_id: str, *, audience: bool = True, lifespan_s: int | None = None
    ) -> None:
        """A password-grant client like kasane-cli, optionally without the kasane audience
        or with a short access-token lifespan."""
        cli = next(c for c in load_realm()["clients"] if c["clientId"] == CLI_CLIENT)
        client = copy.deepcopy(cli)
        client["clientId"] = client_id
        if not audience:
            client["protocolMappers"] = [
                m
                for m in client["protocolMappers"]
                if m["protocolMapper"] != "oidc-audience-mapper"
            ]
        if lifespan_s is not None:
            client["attributes"]["access.token.lifespan"] = str(lifespan_s)
        await self.call("POST", f"/{REALM}/clients", client)

    async def create_copy_of_realm(self, name: str) -> None:
        """The kasane realm under another name (same clients, groups, demo users)."""
        realm = realm_for_import(load_realm(), production=False)
        realm["realm"] = name
        realm["users"] = [u for u in realm["users"] if u["username"] == "jiritsu-counselor"]
        await self.call("POST", "", realm)

    async def brute_force_status(self, user_id: str) -> dict[str, Any]:
        response = await self.call("GET", f"/{REALM}/attack-detection/brute-force/users/{user_id}")
        status: dict[str, Any] = response.json()
        return status


async def password_token(
    http: httpx.AsyncClient,
    kc: TestKeycloak,
    username: str,
    password: str,
    *,
    client_id: str = CLI_CLIENT,
    realm: str = REALM,
) -> httpx.Response:
    return await http.post(
        f"{kc.base_url}/realms/{realm}/protocol/openid-connect/token",
        data={"grant_type": "password", "client_id": client_id, "username": username,
              "password": password, "scope": "openid"},
    )  # fmt: skip


async def access_token(http: httpx.AsyncClient, kc: TestKeycloak, username: str, **kw: Any) -> str:
    password = kw.pop("password", DEMO_PASSWORD)
    response = await password_token(http, kc, username, password, **kw)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
