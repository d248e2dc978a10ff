"""Persons and households (pure): validation. The situations a household shows (8050,
ダブルケア, ヤングケアラー) are ``kasane.households``' rule, shared with the portal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import cast
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from intake.domain.vocab import CareRole, Relationship, Sex
from kasane.clock import system_clock
from kasane.errors import Invalid
from kasane.households import HouseholdSituation, HouseholdSizeBand, household_size_band

# Re-exported for intake's callers: the rule itself has one home, shared with the portal.
from kasane.households import MemberFacts as MemberFacts
from kasane.households import age_on as age_on
from kasane.households import household_situations as household_situations
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


@dataclass(frozen=True)
class HouseholdProfile:
    """世帯概要 as published: the situations found and the size band, nothing else."""

    situations: list[HouseholdSituation]
    size_band: HouseholdSizeBand | None  # None: no members registered


def household_profile(members: list[MemberFacts]) -> HouseholdProfile:
    situations = [cast(HouseholdSituation, s) for s in household_situations(members)]
    band = household_size_band(len(members)) if members else None
    return HouseholdProfile(situations, band)


def check_link(person_id: UUID, linked_person_id: UUID) -> None:
    """Linking records that are the same person: never a record with itself."""
    if person_id == linked_person_id:
        raise Invalid("linked_person_id", "同じ人には紐付けられません / cannot link to itself")
