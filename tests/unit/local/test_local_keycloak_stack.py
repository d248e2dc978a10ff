"""How the stack and the CLI wire Keycloak in (no process started here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kasane.settings import Settings
from kasane_dev.cli.main import main
from kasane_dev.local.keycloak import install_home
from kasane_dev.local.keycloak_realm import KeycloakLayout
from kasane_dev.local.stack import service_env, status_rows


def test_services_trust_the_embedded_keycloak_unless_issuers_are_configured(
    tmp_path: Path,
) -> None:
    settings = Settings(state_dir=tmp_path, keycloak_port=38999)
    env = service_env(settings, "postgresql://x")
    assert json.loads(env["KASANE_OIDC_ISSUERS"]) == ["http://127.0.0.1:38999/realms/kasane"]
    configured = Settings(state_dir=tmp_path, oidc_issuers=["https://login.example/v2.0"])
    assert "KASANE_OIDC_ISSUERS" not in service_env(configured, "postgresql://x")


def test_status_shows_an_external_keycloak_without_starting_it(tmp_path: Path) -> None:
    settings = Settings(
        state_dir=tmp_path, keycloak_url="https://id.city.example/", database_url="postgresql://x"
    )
    (row,) = [r for r in status_rows(settings) if r.component == "keycloak"]
    assert row.address == "external https://id.city.example"


def test_token_needs_agency_and_role_unless_a_user_signs_in(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["token", "--agency", "jiritsu"]) == 1
    assert "--agency and --role are required unless --user" in capsys.readouterr().err


def test_home_links_the_distribution_but_copies_lib_quarkus_and_skips_data(
    tmp_path: Path,
) -> None:
    layout = KeycloakLayout(tmp_path / "state", tmp_path / "cache")
    files = ["bin/kc.sh", "data/h2/db", "lib/quarkus/app.dat", "lib/lib/main/data/keep.jar"]
    for name in files:
        (layout.dist / name).parent.mkdir(parents=True, exist_ok=True)
        (layout.dist / name).write_text(name, encoding="utf-8")
    assert install_home(layout) is True
    assert not (layout.home / "data").exists()  # each home gets its own database
    # Keycloak may rewrite lib/quarkus: a copy, never a link into the shared download.
    assert (layout.home / "lib/quarkus/app.dat").stat().st_nlink == 1
    assert (layout.home / "lib/lib/main/data/keep.jar").stat().st_nlink == 2  # linked
    assert install_home(layout) is False
