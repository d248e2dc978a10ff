"""The resource directory (Open Referral HSDS shape) and its capacity rules, no I/O."""

from __future__ import annotations

import re
from datetime import time

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kasane.reference.school_districts import is_valid_school_district
from kasane.web.errors import Refused
from participation.codes import OWN_CATEGORIES

_BYDAY = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganizationIn(_Strict):
    name: str = Field(min_length=1, max_length=200)
    url: str | None = Field(default=None, max_length=500)


class ServiceIn(_Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    category: str

    @field_validator("category")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in OWN_CATEGORIES:
            raise ValueError(f"未知の分類 / unknown category: {value}")
        return value


class LocationIn(_Strict):
    name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    school_district_code: str | None = None

    @field_validator("school_district_code")
    @classmethod
    def _known_district(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_school_district(value):
            raise ValueError(f"未知の校区コード / unknown school district code: {value}")
        return value


class ScheduleIn(_Strict):
    """HSDS schedule, weekly: ``byday`` as in RFC 5545 (MO,WE), local opening hours."""

    byday: str
    opens_at: time
    closes_at: time
    description: str | None = Field(default=None, max_length=200)

    @field_validator("byday")
    @classmethod
    def _days(cls, value: str) -> str:
        if not _BYDAY.match(value):
            raise ValueError("曜日は MO,TU,… の形式 / byday must look like MO,WE,FR")
        return value

    @model_validator(mode="after")
    def _order(self) -> ScheduleIn:
        if self.closes_at <= self.opens_at:
            raise ValueError("終了時刻は開始より後 / closes_at must be after opens_at")
        return self


class EligibilityIn(_Strict):
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _range(self) -> EligibilityIn:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("年齢の下限が上限を超えています / age_min is above age_max")
        return self


class ResourceIn(_Strict):
    """POST /resources: one of アソウ's own places (居場所, 就労体験, 就労支援, 住まい …)."""

    organization: OrganizationIn
    service: ServiceIn
    location: LocationIn = Field(default_factory=LocationIn)
    schedules: list[ScheduleIn] = Field(default_factory=list, max_length=14)
    eligibility: EligibilityIn = Field(default_factory=EligibilityIn)
    capacity: int | None = Field(default=None, ge=0, le=10_000)


class CapacityIn(_Strict):
    capacity: int | None = Field(ge=0, le=10_000)


def effective_capacity(capacity: int | None, override: int | None) -> int | None:
    """アソウ's own figure wins over the published one; None means no stated limit."""
    return override if override is not None else capacity


def free_places(capacity: int | None, in_use: int) -> int | None:
    return None if capacity is None else max(capacity - in_use, 0)


def check_room(capacity: int | None, in_use: int) -> None:
    if capacity is not None and in_use >= capacity:
        raise Refused(
            409,
            "resource_id",
            f"定員に達しています（定員{capacity}） / the resource is full (capacity {capacity})",
        )


def check_new_capacity(capacity: int | None, in_use: int) -> None:
    if capacity is not None and capacity < in_use:
        raise Refused(
            409,
            "capacity",
            f"利用中の{in_use}人を下回る定員は設定できません / "
            f"capacity below the {in_use} current placements",
        )
