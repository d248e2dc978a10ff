"""世帯概要: the situations a household shows (8050, ダブルケア, ヤングケアラー) and its size band.

One home for the rule and the vocabulary. Intake computes the situations for a registered
household (``GET /households/{id}``) and publishes them as codes with a size band in
``ConsultationReceived`` (flags and a band only, never who lives in the household); meetings
prints them in its 会議資料; the portal shows them on the 相談受付 form while staff are still
typing the household in, before anything is registered. All must agree, so the rule lives
here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

# Issue codes (reference issue_codes.json) that describe a household rather than a person.
HouseholdSituation = Literal["8050", "double_care", "young_carer"]
HOUSEHOLD_SITUATION_LABELS: Final[dict[str, str]] = {
    "8050": "8050",
    "double_care": "ダブルケア",
    "young_carer": "ヤングケアラー",
}

# A band, not the count: a household of seven in a small 校区 could be recognised.
HouseholdSizeBand = Literal["1", "2", "3-4", "5+"]
HOUSEHOLD_SIZE_BAND_LABELS: Final[dict[str, str]] = {
    "1": "単身",
    "2": "2人",
    "3-4": "3〜4人",
    "5+": "5人以上",
}


def household_size_band(members: int) -> HouseholdSizeBand:
    """The band of a household of ``members`` persons (at least one)."""
    if members < 1:
        raise ValueError("a household has at least one member")
    if members == 1:
        return "1"
    if members == 2:
        return "2"
    if members <= 4:
        return "3-4"
    return "5+"


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class MemberFacts:
    relationship: str
    care_role: str | None
    age: int | None


def _supports(elder: MemberFacts, younger: MemberFacts) -> bool:
    return elder.care_role != "cared_for" and younger.care_role != "carer"


def household_situations(members: list[MemberFacts]) -> list[str]:
    """Which tangled situations the household shows, as issue codes (8050 etc.).

    8050: a parent aged 70+ living with their child aged 40+, the parent not the one cared
    for and the child not the carer (that would be elder care, not a parent supporting a
    child). ダブルケア: someone caring who has both a child under
    15 and a person aged 65+ in the household. ヤングケアラー: a carer under 18.
    """
    found = []
    me = next((m for m in members if m.relationship == "self"), None)
    parents = [m for m in members if m.relationship == "parent" and m.age is not None]
    children = [m for m in members if m.relationship == "child" and m.age is not None]
    if (
        me is not None
        and me.age is not None
        and (
            (me.age >= 40 and any(_supports(p, me) for p in parents if p.age and p.age >= 70))
            or (me.age >= 70 and any(_supports(me, c) for c in children if c.age and c.age >= 40))
        )
    ):
        found.append("8050")
    carers = [m for m in members if m.care_role == "carer"]
    has_small_child = any(m.age is not None and m.age < 15 for m in members)
    has_elder = any(m.age is not None and m.age >= 65 for m in members)
    if (
        carers
        and has_small_child
        and has_elder
        and any(c.age is not None and 15 <= c.age < 65 for c in carers)
    ):
        found.append("double_care")
    if any(c.age is not None and c.age < 18 for c in carers):
        found.append("young_carer")
    return found
