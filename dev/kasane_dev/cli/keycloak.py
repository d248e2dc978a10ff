"""`kasane keycloak sync-groups`: a Keycloak group for every agency and 連携機関.

A token's `agency` claim comes from the user's group, so staff of a party can sign in only
once the realm has its group. The realm file (infra/identity/kasane-realm.json) has one for
every party a release ships, but Keycloak imports a realm once: a 連携機関 the city adds later
with `kasane reference import` (docs/architecture/partners.md) needs its group created in the
running realm. This command creates the groups the realm lacks (the rule is
``kasane_dev.local.keycloak_realm.groups_to_create``) through Keycloak's admin REST API; it
never changes or removes a group, and users and their roles stay the administrator's work.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

import httpx

from kasane.settings import Settings
from kasane_dev.local.keycloak_realm import (
    ADMIN_USER,
    REALM,
    KeycloakLayout,
    groups_to_create,
)

ADMIN_USER_ENV = "KASANE_KEYCLOAK_ADMIN_USER"
ADMIN_PASSWORD_ENV = "KASANE_KEYCLOAK_ADMIN_PASSWORD"


class KeycloakCommandError(Exception):
    """Reported like the CLI's other expected failures (one line on stderr, exit 1)."""


Report = Callable[[str], None]


def _print(line: str) -> None:
    print(line, flush=True)


def admin_password(settings: Settings, environ: dict[str, str]) -> str:
    """From the environment, else the local stack's own Keycloak (its password file)."""
    if environ.get(ADMIN_PASSWORD_ENV):
        return environ[ADMIN_PASSWORD_ENV]
    path = KeycloakLayout(settings.state_dir, settings.cache_dir).admin_password_file
    if settings.embedded_keycloak and path.is_file():
        return path.read_text(encoding="utf-8").strip()
    raise KeycloakCommandError(
        f"Keycloak の管理者パスワードがありません: {ADMIN_PASSWORD_ENV} を設定してください"
        f" / no admin password: set {ADMIN_PASSWORD_ENV}"
    )


def sync_groups(
    base_url: str,
    admin_user: str,
    password: str,
    *,
    realm: str = REALM,
    dry_run: bool = False,
    report: Report = _print,
    client: httpx.Client | None = None,
) -> list[str]:
    """Create the groups ``realm`` lacks; the names created (or, dry, to be created)."""
    http = client or httpx.Client(timeout=30.0)
    try:
        headers = {"Authorization": f"Bearer {_admin_token(http, base_url, admin_user, password)}"}
        groups_url = f"{base_url}/admin/realms/{realm}/groups"
        listed = _ok(http.get(groups_url, params={"max": 10_000}, headers=headers), "groups")
        missing = groups_to_create({str(g["name"]) for g in listed})
        for group in missing:
            name = group["name"]
            if dry_run:
                report(f"would create group {name} ({group['attributes']['name_ja'][0]})")
                continue
            body = {"name": name, "attributes": group["attributes"]}
            _ok(http.post(groups_url, json=body, headers=headers), f"group {name}")
            report(f"created group {name} ({group['attributes']['name_ja'][0]})")
        if not missing:
            report(f"realm {realm}: every agency and 連携機関 has its group")
        return [g["name"] for g in missing]
    except httpx.HTTPError as exc:
        raise KeycloakCommandError(
            f"Keycloak at {base_url} did not answer ({type(exc).__name__}); is it running?"
        ) from exc
    finally:
        if client is None:
            http.close()


def _admin_token(http: httpx.Client, base_url: str, user: str, password: str) -> str:
    response = http.post(
        f"{base_url}/realms/master/protocol/openid-connect/token",
        data={"grant_type": "password", "client_id": "admin-cli", "username": user,
              "password": password},
    )  # fmt: skip
    body = _ok(response, "admin sign-in")
    return str(body["access_token"])


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 300:
        raise KeycloakCommandError(
            f"Keycloak refused {what}: HTTP {response.status_code} {response.text[:200]}"
        )
    return response.json() if response.content else None


def _cmd_sync_groups(settings: Settings, args: argparse.Namespace) -> None:
    environ = dict(os.environ)
    sync_groups(
        settings.keycloak_base_url,
        environ.get(ADMIN_USER_ENV, ADMIN_USER),
        admin_password(settings, environ),
        realm=args.realm,
        dry_run=args.dry_run,
    )


def add_parser(commands: Any) -> None:
    """Add ``keycloak`` (with ``sync-groups``) to the ``kasane`` sub-commands."""
    keycloak = commands.add_parser("keycloak", help="the identity provider's realm")
    sub = keycloak.add_subparsers(dest="keycloak_command", required=True)
    sync = sub.add_parser(
        "sync-groups",
        help="create the group of every agency and 連携機関 the realm lacks (never changes one)",
    )
    sync.add_argument("--realm", default=REALM, help=f"realm (default {REALM})")
    sync.add_argument("--dry-run", action="store_true", help="list, create nothing")
    sync.set_defaults(handler=_cmd_sync_groups)
