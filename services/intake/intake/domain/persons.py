"""Persons and households (pure): validation and the situations a household shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from intake.domain.vocab import CareRole, Relationship, Sex
from kasane.clock import system_clock
from kasane.errors import Invalid
from kasane.kana import is_kana
from kasane.types import IsoDate, Line, SchoolDistrictCode

_PHONE = re.compile(r"^\+?[0-9０-９][0-9０-９\-－ ()（）]{5,19}$")
_OLDEST = date(1900, 1, 1)


class PersonIn(BaseModel):
    """氏名・ふりがな・生年月日・性別・住所・電話・校区 (all personal; stays in intake)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Line = Field(min_length=1, max_length=100)
    kana: Line = Field(min_length=1, max_length=100)
    birth_date: IsoDate | None = None
    sex: Sex | None = None
    address: Line | None = Field(default=None, max_length=200)
    phone: str | None = None
    school_district_code: SchoolDistrictCode | None = None

    @field_validator("kana")
    @classmethod
    def _kana_only(cls, value: str) -> str:
        if not is_kana(value):
            raise ValueError(
                "ふりがなはひらがな・カタカナで入力 / kana must be hiragana or katakana"
            )
        return value

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date | None) -> date | None:
        if value is not None and not (_OLDEST <= value <= system_clock().today()):
            raise ValueError("生年月日がありえない日付です / birth_date is impossible")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.match(value):
            raise ValueError("電話番号の形式が正しくありません / not a phone number")
        return value


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: UUID
    relationship: Relationship
    care_role: CareRole | None = None


class HouseholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    members: list[MemberIn] = Field(min_length=1, max_length=30)

    @field_validator("members")
    @classmethod
    def _one_self_and_unique(cls, value: list[MemberIn]) -> list[MemberIn]:
        if len({m.person_id for m in value}) != len(value):
            raise ValueError("同じ人が二度含まれています / a person appears twice")
        if sum(m.relationship == "self" for m in value) != 1:
            raise ValueError("本人（self）はちょうど一人 / exactly one member must be 'self'")
        return value


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


def check_link(person_id: UUID, linked_person_id: UUID) -> None:
    """Linking records that are the same person: never a record with itself."""
    if person_id == linked_person_id:
        raise Invalid("linked_person_id", "同じ人には紐付けられません / cannot link to itself")
