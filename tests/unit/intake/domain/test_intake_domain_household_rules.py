"""Household situations (8050, ダブルケア, ヤングケアラー), person validation, routing."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from intake.domain.persons import (
    HouseholdIn,
    MemberFacts,
    PersonIn,
    age_on,
    household_profile,
    household_situations,
)
from intake.domain.routing import houkatsu_for_area, kikan_for_area, responsible_agency


def m(relationship: str, age: int | None, care: str | None = None) -> MemberFacts:
    return MemberFacts(relationship, care, age)


def test_age_on_birthday_boundary() -> None:
    assert age_on(date(1973, 1, 20), date(2025, 1, 19)) == 51
    assert age_on(date(1973, 1, 20), date(2025, 1, 20)) == 52


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([m("self", 52), m("parent", 81)], ["8050"]),
        ([m("self", 80), m("child", 50)], ["8050"]),
        ([m("self", 35), m("parent", 81)], []),
        ([m("self", 52, "carer"), m("parent", 81, "cared_for")], []),  # elder care, not 8050
        ([m("self", 40, "carer"), m("child", 3), m("parent", 75)], ["double_care"]),
        ([m("self", 45), m("child", 16, "carer"), m("parent", 78, "cared_for")], ["young_carer"]),
        ([m("self", 30)], []),
        ([m("self", None), m("parent", None)], []),
    ],
)
def test_household_situations(members: list[MemberFacts], expected: list[str]) -> None:
    assert household_situations(members) == expected


def test_household_needs_exactly_one_self() -> None:
    import uuid

    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    with pytest.raises(ValidationError):
        HouseholdIn.model_validate({"members": [{"person_id": a, "relationship": "parent"}]})
    with pytest.raises(ValidationError):
        HouseholdIn.model_validate(
            {
                "members": [
                    {"person_id": a, "relationship": "self"},
                    {"person_id": b, "relationship": "self"},
                ]
            }
        )


def test_person_fields_are_stripped_and_checked() -> None:
    person = PersonIn.model_validate({"name": " 久留米 太郎 ", "kana": "クルメ タロウ"})
    assert person.name == "久留米 太郎"
    with pytest.raises(ValidationError):
        PersonIn.model_validate({"name": "x", "kana": "kurume"})


def test_routing_by_domain_and_area() -> None:
    assert houkatsu_for_area("03") == "houkatsu-03"
    assert [kikan_for_area(f"{a:02d}") for a in range(1, 12)] == [
        "kikan-01",
        "kikan-01",
        "kikan-01",
        "kikan-02",
        "kikan-02",
        "kikan-02",
        "kikan-03",
        "kikan-03",
        "kikan-03",
        "kikan-04",
        "kikan-04",
    ]
    assert responsible_agency("12", ["elderly_care"]) == "houkatsu-03"
    assert responsible_agency("12", ["disability"]) == "kikan-01"
    assert responsible_agency("12", ["childrearing"]) == "kodomo"
    assert responsible_agency("12", ["hikikomori", "poverty"]) == "jiritsu"
    assert responsible_agency("12", ["isolation"]) == "houkatsu-03"  # cross-domain only
    assert responsible_agency("12", []) == "houkatsu-03"


def test_household_profile_is_flags_and_a_size_band() -> None:
    profile = household_profile([m("self", 15, "carer"), m("parent", 45), m("grandparent", 80)])
    assert profile.situations == ["young_carer"]
    assert profile.size_band == "3-4"
    assert household_profile([]).size_band is None
