"""Tokens are bound to real agencies, and roles to the agency's kind (issue 12 item 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from kasane.auth.agency_rules import ROLES_BY_KIND, check_claims
from kasane.auth.keys import generate_pem_pair
from kasane.auth.principal import ROLES
from kasane.auth.tokens import InvalidToken, TokenVerifier, mint, mint_dev_token
from kasane.reference.agencies import all_agencies
from kasane_dev.cli.main import main


@pytest.fixture(scope="module")
def pair() -> tuple[bytes, bytes]:
    return generate_pem_pair()


FITTING = [
    ("houkatsu-03", ["counselor"]),
    ("kikan-01", ["coordinator", "manager"]),
    ("shakyo", ["coordinator"]),
    ("aso", ["manager"]),
    ("city-chiiki-fukushi", ["city_official"]),
    ("city-chiiki-fukushi", ["auditor", "manager"]),
    # 連携機関 (kasane.reference.partners): their staff hold the partner role.
    ("hellowork-kurume", ["partner"]),
    ("minsei-kyogikai", ["partner"]),
]
MISFITS = [
    ("houkatsu-99", ["counselor"], "unknown agency"),
    ("", ["counselor"], "empty"),
    ("   ", ["counselor"], "empty"),
    ("npo-kurume", ["counselor"], "unknown agency"),
    ("shakyo", ["counselor"], "counselor"),
    ("shakyo", ["auditor"], "auditor"),
    ("shakyo", ["city_official"], "city_official"),
    ("aso", ["coordinator", "counselor"], "counselor"),
    ("jiritsu", ["auditor"], "auditor"),
    ("jiritsu", ["city_official"], "city_official"),
    ("city-choju", ["counselor"], "counselor"),
    ("city-choju", ["coordinator"], "coordinator"),
    ("jiritsu", [], "no known role"),
    # A partner's staff never hold the 体制's roles, and the 体制's staff never "partner".
    ("hellowork-kurume", ["counselor"], "counselor"),
    ("hellowork-kurume", ["partner", "manager"], "manager"),
    ("minsei-kyogikai", ["coordinator"], "coordinator"),
    ("jiritsu", ["partner"], "partner"),
    ("shakyo", ["partner"], "partner"),
    ("city-chiiki-fukushi", ["partner"], "partner"),
    # A partner that stopped working with the city: its accounts no longer sign in.
    ("kyu-shuro-juku", ["partner"], "no longer active"),
]


@pytest.mark.parametrize(("agency", "roles"), FITTING, ids=str)
def test_fitting_claims_pass(agency: str, roles: list[str]) -> None:
    check_claims(agency, roles)


@pytest.mark.parametrize(("agency", "roles", "reason"), MISFITS, ids=str)
def test_misfit_claims_are_invalid(agency: str, roles: list[str], reason: str) -> None:
    with pytest.raises(InvalidToken, match=reason):
        check_claims(agency, roles)


def test_every_agency_kind_in_the_reference_data_has_a_rule() -> None:
    kinds = {a.kind for a in all_agencies()} | {"partner_organisation"}
    assert kinds <= set(ROLES_BY_KIND)
    assert all(roles <= set(ROLES) for roles in ROLES_BY_KIND.values())


def test_unknown_extra_roles_are_dropped_not_refused(pair: tuple[bytes, bytes]) -> None:
    # An IdP may add roles of its own; they grant nothing and do not spoil the token.
    private, public = pair
    now = datetime.now(UTC)
    claims = {
        "sub": "s",
        "agency": "shakyo",
        "roles": ["coordinator", "idp-admin"],
        "aud": "kasane",
        "iss": "kasane-dev",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    token = jwt.encode(claims, private, algorithm="EdDSA")
    assert TokenVerifier(public).verify(token).roles == frozenset({"coordinator"})


@pytest.mark.parametrize(("agency", "roles", "reason"), MISFITS, ids=str)
def test_verifier_refuses_signed_tokens_that_misfit(
    pair: tuple[bytes, bytes], agency: str, roles: list[str], reason: str
) -> None:
    private, public = pair
    token = mint(private, sub="s", agency=agency, roles=roles)  # validly signed
    with pytest.raises(InvalidToken, match=reason):
        TokenVerifier(public).verify(token)


@pytest.mark.parametrize(("agency", "roles", "reason"), MISFITS, ids=str)
def test_dev_tokens_are_not_minted_for_misfits(
    tmp_path: Path, agency: str, roles: list[str], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        mint_dev_token(tmp_path, "s", agency, roles)


def test_kasane_token_refuses_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KASANE_STATE_DIR", str(tmp_path))
    from kasane.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["token", "--agency", "shakyo", "--role", "counselor"]) == 1
        err = capsys.readouterr()
        assert err.out == ""
        assert "kasane token: role(s) counselor do not fit agency 'shakyo'" in err.err
        assert "program_operator → coordinator, manager" in err.err
        assert main(["token", "--agency", "houkatsu-99", "--role", "counselor"]) == 1
        assert "unknown agency 'houkatsu-99'" in capsys.readouterr().err
        assert main(["token", "--agency", "shakyo", "--role", "coordinator"]) == 0
        assert capsys.readouterr().out.count(".") == 2  # a JWT
    finally:
        get_settings.cache_clear()
