"""Pure parts of the embedded Keycloak: folder layout and the realm file as imported.

No I/O here (except reading the repository's realm file), so the rules are unit-testable.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kasane.reference import all_agencies
from kasane.reference.partners import PARTNER_KIND, all_partners
from kasane.settings import REPO_ROOT

VERSION = "26.5.6"
ARTIFACT = f"org.keycloak:keycloak-quarkus-dist:{VERSION}:zip"
REALM = "kasane"
REALM_FILE = REPO_ROOT / "infra" / "identity" / "kasane-realm.json"
ADMIN_USER = "admin"
# Clients that only make sense on a developer's machine (password grant for the CLI).
DEVELOPMENT_CLIENTS = frozenset({"kasane-cli"})
CLI_CLIENT = "kasane-cli"
DASHBOARD_CLIENT = "kasane-dashboard"


@dataclass(frozen=True)
class KeycloakLayout:
    """Where one Keycloak keeps its files: a home per state folder, a shared download.

    The home is a hard-linked copy of the unpacked distribution (cheap), so every state
    folder (the developer's, each test run's) has its own data/ and import folder while
    the 175 MB of jars exist once on disk.
    """

    state_dir: Path
    cache_dir: Path

    @property
    def root(self) -> Path:
        return self.state_dir / "keycloak"

    @property
    def home(self) -> Path:
        return self.root / f"keycloak-{VERSION}"

    @property
    def kc_sh(self) -> Path:
        return self.home / "bin" / "kc.sh"

    @property
    def import_dir(self) -> Path:
        return self.home / "data" / "import"

    @property
    def h2_dir(self) -> Path:
        return self.home / "data" / "h2"

    @property
    def admin_password_file(self) -> Path:
        return self.root / "admin-password"

    @property
    def imported_env_file(self) -> Path:
        # "development" or "production": how the realm in h2_dir was first imported.
        return self.root / "imported-env"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "run" / "keycloak.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "logs" / "keycloak.log"

    @property
    def download_dir(self) -> Path:
        return self.cache_dir / "keycloak"

    @property
    def dist(self) -> Path:
        """The unpacked distribution every home is linked from (never run in place)."""
        return self.download_dir / f"keycloak-{VERSION}"

    @property
    def augmented_marker(self) -> Path:
        # Quarkus' build step ("augmentation") writes lib/quarkus on the first start; once
        # one home has done it, its result is copied back so later homes skip ~12 s.
        return self.dist / "lib" / "quarkus" / ".kasane-dev-augmented"


def issuer_url(base_url: str, realm: str = REALM) -> str:
    return f"{base_url.rstrip('/')}/realms/{realm}"


def local_base_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def load_realm(path: Path = REALM_FILE) -> dict[str, Any]:
    realm: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return realm


def realm_for_import(realm: dict[str, Any], *, production: bool) -> dict[str, Any]:
    """The realm as it is imported: in production without demo accounts or dev clients.

    The repository's realm carries fictional demo users with published passwords and a
    password-grant client for the CLI; neither may ever exist in a city's real realm.
    """
    result = copy.deepcopy(realm)
    if production:
        result.pop("users", None)
        result["clients"] = [
            c for c in result.get("clients", []) if c.get("clientId") not in DEVELOPMENT_CLIENTS
        ]
    return result


def import_refusal(imported_env: str | None, *, production: bool) -> str | None:
    """Why a start must be refused, or None.

    Keycloak imports a realm only once (later starts keep the database), so a database that
    was first imported in development still holds the demo accounts: production must not
    run on it.
    """
    if production and imported_env is not None and imported_env != "production":
        return (
            "KASANE_ENV=production, but the embedded Keycloak's database was created in "
            "development and holds the demo accounts with published passwords; remove its "
            "folder (keycloak/ under the state folder) so the realm is imported without them."
        )
    return None


def demo_users(realm: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(username, agency group, realm roles) of each demo account, for docs and tests."""
    rows = []
    for user in realm.get("users", []):
        groups = [g.strip("/") for g in user.get("groups", [])]
        rows.append((user["username"], groups[0] if groups else "", list(user["realmRoles"])))
    return rows


def party_group(party_id: str, kind: str, name_ja: str) -> dict[str, Any]:
    """The realm group of one agency or 連携機関, as infra/identity/kasane-realm.json has them.

    The token's `agency` claim comes from the user's group (the realm's `agency` mapper), so
    every party whose staff sign in needs one, named by its id."""
    return {
        "name": party_id,
        "path": f"/{party_id}",
        "attributes": {"agency": [party_id], "agency_kind": [kind], "name_ja": [name_ja]},
    }


def party_groups() -> list[dict[str, Any]]:
    """A group for every agency and every 連携機関 of the reference data in force (a partner
    no longer active keeps its group: the token rule refuses its tokens by itself)."""
    groups = [party_group(a.id, a.kind, a.name_ja) for a in all_agencies()]
    groups += [party_group(p.id, PARTNER_KIND, p.name_ja) for p in all_partners()]
    return groups


def groups_to_create(existing: set[str]) -> list[dict[str, Any]]:
    """The parties' groups a realm lacks, by name; existing groups are never changed."""
    return [g for g in party_groups() if g["name"] not in existing]
