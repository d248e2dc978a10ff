"""Fictional households with Japanese names (Faker ja_JP), shaped by their situation.

Names come from Faker's name *pairs*, so the kanji and the フリガナ always belong together.
Every address is in 「久留米市デモ町」, a town that does not exist, and phone numbers use the
unassigned 0942-00 block: nothing here can match a real resident.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from faker import Faker

from kasane_dev.demo.model import Household, Member, Person

FAKE_TOWN = "福岡県久留米市デモ町"


def age_band(age: int) -> str:
    return "90+" if age >= 90 else f"{age // 10 * 10}-{age // 10 * 10 + 9}"


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class PeopleFactory:
    """Deterministic persons and households: the same seed gives the same people."""

    def __init__(self, seed: int, reference_day: date) -> None:
        self._fake = Faker("ja_JP")
        self._fake.seed_instance(seed)
        self._rng = random.Random(f"{seed}:people")
        self._day = reference_day  # ages are meant as of this day (the fiscal year's start)
        self._persons = 0
        self._households = 0

    def _birth(self, age: int) -> date:
        # A birthday uniformly inside the year of life that gives ``age`` on the day.
        latest = self._day.replace(year=self._day.year - age)
        return latest - timedelta(days=self._rng.randrange(0, 365))

    def _address(self) -> str:
        rng = self._rng
        return f"{FAKE_TOWN}{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"

    def _phone(self) -> str | None:
        return f"0942-00-{self._rng.randrange(10000):04d}" if self._rng.random() < 0.7 else None

    def person(
        self, family: tuple[str, str], age: int, sex: str, address: str, district: str
    ) -> Person:
        self._persons += 1
        pair = (
            self._fake.first_name_female_pair()
            if sex == "female"
            else self._fake.first_name_male_pair()
        )
        return Person(
            key=f"p-{self._persons:05d}",
            name=f"{family[0]} {pair[0]}",
            kana=f"{family[1]} {pair[1]}",
            birth_date=self._birth(age),
            sex="female" if sex == "female" else "male",
            address=address,
            phone=self._phone() if age >= 18 else None,
            school_district_code=district,
        )

    def household(self, situation: str, district: str) -> Household:
        self._households += 1
        family = self._fake.last_name_pair()
        surname = (family[0], family[1])
        address = self._address()
        rng = self._rng

        def member(age: int, relationship: str, care: str | None = None, sex: str = "") -> Member:
            chosen = sex or rng.choice(("female", "male"))
            person = self.person(surname, age, chosen, address, district)
            if care == "carer":
                return Member(person, relationship, "carer")
            return Member(person, relationship, "cared_for" if care == "cared_for" else None)

        shape = _SHAPES.get(situation, _SHAPES["single"])
        members = shape(rng, member)
        return Household(f"hh-{self._households:04d}", situation, tuple(members))


MemberMaker = Callable[..., Member]


def _8050(rng: random.Random, m: MemberMaker) -> list[Member]:
    # A parent of 76+ supporting a child of 45+ at home (8050): neither is the "carer".
    found = [m(rng.randint(45, 56), "self"), m(rng.randint(76, 88), "parent", sex="female")]
    if rng.random() < 0.4:
        found.append(m(rng.randint(79, 90), "parent", sex="male"))
    return found


def _double_care(rng: random.Random, m: MemberMaker) -> list[Member]:
    found = [
        m(rng.randint(36, 48), "self", "carer", sex="female"),
        m(rng.randint(2, 11), "child"),
        m(rng.randint(74, 88), "parent", "cared_for"),
    ]
    if rng.random() < 0.6:
        found.append(m(rng.randint(38, 52), "spouse", sex="male"))
    return found


def _young_carer(rng: random.Random, m: MemberMaker) -> list[Member]:
    # Under 18 for the whole year and the next: 13–15 at the start of the fiscal year.
    found = [m(rng.randint(13, 15), "self", "carer"), m(rng.randint(38, 50), "parent", "cared_for")]
    if rng.random() < 0.5:
        found.append(m(rng.randint(7, 12), "sibling"))
    return found


def _hikikomori(rng: random.Random, m: MemberMaker) -> list[Member]:
    return [m(rng.randint(22, 39), "self"), m(rng.randint(52, 68), "parent")]


def _elderly_alone(rng: random.Random, m: MemberMaker) -> list[Member]:
    return [m(rng.randint(74, 92), "self")]


def _disability(rng: random.Random, m: MemberMaker) -> list[Member]:
    return [m(rng.randint(19, 44), "self", "cared_for"), m(rng.randint(48, 72), "parent", "carer")]


def _poverty(rng: random.Random, m: MemberMaker) -> list[Member]:
    found = [m(rng.randint(28, 62), "self")]
    if rng.random() < 0.5:
        found.append(m(rng.randint(3, 17), "child"))
    return found


def _single(rng: random.Random, m: MemberMaker) -> list[Member]:
    return [m(rng.randint(30, 70), "self")]


_SHAPES: dict[str, Callable[[random.Random, MemberMaker], list[Member]]] = {
    "8050": _8050,
    "double_care": _double_care,
    "young_carer": _young_carer,
    "hikikomori": _hikikomori,
    "elderly_alone": _elderly_alone,
    "disability": _disability,
    "poverty": _poverty,
    "single": _single,
}
SITUATIONS = tuple(_SHAPES)
