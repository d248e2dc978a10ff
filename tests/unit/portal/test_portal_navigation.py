"""Each staff member sees only the screens their agency and role may use."""

from __future__ import annotations

import pytest

from kasane.auth.principal import Principal
from portal.domain.navigation import menu, role_labels


def paths(agency: str, *roles: str) -> list[str]:
    return [s.path for s in menu(Principal("s", agency, frozenset(roles)))]


@pytest.mark.parametrize(
    ("agency", "role"),
    [("jiritsu", "counselor"), ("houkatsu-01", "manager"), ("shakyo", "coordinator")],
)
def test_case_workers_get_the_person_level_screens(agency: str, role: str) -> None:
    assert {"/persons/search", "/cases"} <= set(paths(agency, role))


def test_only_consultation_agencies_get_the_consultation_form() -> None:
    # intake refuses 相談受付 from anyone else: the form would register persons, then fail.
    assert "/consultations/new" in paths("jiritsu", "counselor")
    assert "/consultations/new" in paths("houkatsu-01", "manager")
    assert "/consultations/new" not in paths("shakyo", "coordinator")
    assert "/consultations/new" not in paths("aso", "manager")


@pytest.mark.parametrize("role", ["city_official", "manager", "auditor"])
def test_the_city_never_gets_a_person_level_screen(role: str) -> None:
    assert not {"/persons/search", "/consultations/new", "/cases"} & set(
        paths("city-chiiki-fukushi", role)
    )


def test_only_auditors_get_the_access_log() -> None:
    assert "/access-log" in paths("city-chiiki-fukushi", "auditor")
    assert "/access-log" not in paths("jiritsu", "manager")


def test_role_labels_are_japanese() -> None:
    assert role_labels(Principal("s", "jiritsu", frozenset({"counselor"}))) == "相談員"


def test_a_partner_sees_its_home_and_the_referrals_addressed_to_it_only() -> None:
    # 連携機関: no person-level screen of the 体制, only つなぎ (docs/architecture/partners.md).
    assert paths("hellowork-kurume", "partner") == ["/", "/referrals"]
    assert "/referrals" in paths("jiritsu", "counselor")
    assert "/referrals" not in paths("city-chiiki-fukushi", "city_official")
    # The role alone is not enough: an agency id with the partner role is no partner.
    assert paths("jiritsu", "partner") == ["/"]
