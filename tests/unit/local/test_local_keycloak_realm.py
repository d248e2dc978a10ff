"""The realm in infra/identity/kasane-realm.json and how it is imported."""

from __future__ import annotations

from pathlib import Path

from kasane.auth.agency_rules import ROLES_BY_KIND
from kasane.reference import all_agencies
from kasane.reference.partners import all_partners, get_partner, party_kind
from kasane_dev.local.keycloak_realm import (
    CLI_CLIENT,
    DASHBOARD_CLIENT,
    KeycloakLayout,
    demo_users,
    groups_to_create,
    import_refusal,
    load_realm,
    party_groups,
    realm_for_import,
)


def test_every_agency_and_partner_is_a_group_carrying_its_agency_attribute() -> None:
    groups = {g["name"]: g["attributes"] for g in load_realm()["groups"]}
    assert {a.id for a in all_agencies()} | {p.id for p in all_partners()} == set(groups)
    assert all(attributes["agency"] == [name] for name, attributes in groups.items())
    assert all(attributes["agency_kind"] == [party_kind(n)] for n, attributes in groups.items())


def test_the_realm_files_groups_are_the_ones_sync_groups_creates() -> None:
    # One rule for a party's group: the realm file (new stacks) and `kasane keycloak
    # sync-groups` (realms imported before a party was added) must not drift apart.
    assert load_realm()["groups"] == party_groups()


def test_sync_creates_only_what_a_realm_lacks_and_never_changes_a_group() -> None:
    every = party_groups()
    assert groups_to_create({g["name"] for g in every}) == []
    lacking = {g["name"] for g in every} - {"minsei-kyogikai", "houkatsu-04"}
    created = groups_to_create(lacking)
    assert [g["name"] for g in created] == ["houkatsu-04", "minsei-kyogikai"]
    assert created[1]["attributes"] == {
        "agency": ["minsei-kyogikai"],
        "agency_kind": ["partner_organisation"],
        "name_ja": [get_partner("minsei-kyogikai").name_ja],
    }


def test_demo_accounts_have_roles_that_fit_their_agency_kind() -> None:
    users = demo_users(load_realm())
    assert len(users) >= 10
    for username, agency, roles in users:
        allowed = ROLES_BY_KIND[party_kind(agency)]
        assert set(roles) <= allowed, username
    kinds = {party_kind(agency) for _, agency, _ in users}
    assert kinds == {
        "consultation_agency",
        "program_operator",
        "city_department",
        "partner_organisation",
    }


def test_every_role_a_token_may_carry_is_a_realm_role() -> None:
    realm_roles = {r["name"] for r in load_realm()["roles"]["realm"]}
    assert set().union(*ROLES_BY_KIND.values()) <= realm_roles


def test_auditors_must_set_up_two_factor_and_others_may() -> None:
    realm = load_realm()
    for user in realm["users"]:
        required = "CONFIGURE_TOTP" in user.get("requiredActions", [])
        assert required == ("auditor" in user["realmRoles"]), user["username"]
    assert realm["otpPolicyType"] == "totp"


def test_realm_security_settings() -> None:
    realm = load_realm()
    assert realm["defaultLocale"] == "ja" and realm["internationalizationEnabled"]
    assert realm["bruteForceProtected"] and realm["failureFactor"] <= 10
    assert "length(12)" in realm["passwordPolicy"]
    clients = {c["clientId"]: c for c in realm["clients"]}
    dashboard = clients[DASHBOARD_CLIENT]
    assert dashboard["attributes"]["pkce.code.challenge.method"] == "S256"
    assert not dashboard["directAccessGrantsEnabled"] and not dashboard["publicClient"]
    for client in clients.values():
        mappers = {m["protocolMapper"]: m["config"] for m in client["protocolMappers"]}
        assert mappers["oidc-audience-mapper"]["included.custom.audience"] == "kasane"
        assert mappers["oidc-usermodel-attribute-mapper"]["claim.name"] == "agency"
        assert mappers["oidc-usermodel-realm-role-mapper"]["claim.name"] == "roles"
        # No profile/email scopes: tokens carry no staff names or addresses.
        assert set(client["defaultClientScopes"]) <= {"basic", "acr"}


def test_production_import_has_no_demo_accounts_and_no_password_grant_client() -> None:
    realm = load_realm()
    production = realm_for_import(realm, production=True)
    assert "users" not in production
    assert CLI_CLIENT not in {c["clientId"] for c in production["clients"]}
    assert DASHBOARD_CLIENT in {c["clientId"] for c in production["clients"]}
    assert realm_for_import(realm, production=False) == realm
    assert "users" in realm  # the repository's copy is untouched


def test_each_state_folder_has_its_own_home_and_shares_the_download(tmp_path: Path) -> None:
    one = KeycloakLayout(tmp_path / "a", tmp_path / "cache")
    two = KeycloakLayout(tmp_path / "b", tmp_path / "cache")
    assert one.home != two.home and one.h2_dir.is_relative_to(one.state_dir)
    assert one.dist == two.dist and one.pid_file != two.pid_file


def test_production_refuses_a_database_first_imported_with_demo_accounts() -> None:
    assert import_refusal("development", production=True) is not None
    assert import_refusal(None, production=True) is None  # first import: without demo users
    assert import_refusal("production", production=True) is None
    assert import_refusal("development", production=False) is None
