"""Social-resource directory entries (居場所, サロン, 子ども食堂, 通いの場, …), HSDS-shaped.

Open Referral's Human Services Data Specification splits an entry into organization,
service, location, schedule and eligibility; we keep that shape so the directory can be
exported to other HSDS tools. Directory entries describe places, not people.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from community import codes
from community.programs import is_known_program
from kasane.events.community import ResourcePublished
from kasane.reference.school_districts import is_valid_school_district

_DAY = r"(?:[1-5]|-1)?(?:MO|TU|WE|TH|FR|SA|SU)"  # "2WE" = second Wednesday of the month
_BYDAY = re.compile(rf"^{_DAY}(?:,{_DAY})*$")
MAX_AGE = 120


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Organization(_Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    url: str | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=50)


class Service(_Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    category: str
    program_code: str | None = None  # the community-building program it belongs to
    fees_description: str | None = Field(default=None, max_length=500)
    application_process: str | None = Field(default=None, max_length=1000)

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return codes.check("resource_categories", value, "資源の種類")

    @field_validator("program_code")
    @classmethod
    def _program(cls, value: str | None) -> str | None:
        if value is not None and not is_known_program(value):
            raise ValueError(f"未知の事業コード / unknown program code: {value}")
        return value


class Location(_Strict):
    name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=400)
    school_district_code: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @field_validator("school_district_code")
    @classmethod
    def _district(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_school_district(value):
            raise ValueError(f"未知の校区コード / unknown school district code: {value}")
        return value


class Schedule(_Strict):
    """HSDS/iCal-like: ``freq`` WEEKLY or MONTHLY, ``byday`` e.g. ``MO,TH`` or ``2WE``."""

    freq: Literal["WEEKLY", "MONTHLY"]
    byday: str
    opens_at: time
    closes_at: time
    description: str | None = Field(default=None, max_length=200)

    @field_validator("byday")
    @classmethod
    def _byday(cls, value: str) -> str:
        if not _BYDAY.match(value):
            raise ValueError(f"曜日の指定が不正です / byday must be like MO,TH or 2WE: {value}")
        return value

    @model_validator(mode="after")
    def _hours(self) -> Schedule:
        if self.closes_at <= self.opens_at:
            raise ValueError("終了時刻が開始時刻より前です / closes_at must be after opens_at")
        return self


class Eligibility(_Strict):
    age_min: int | None = Field(default=None, ge=0, le=MAX_AGE)
    age_max: int | None = Field(default=None, ge=0, le=MAX_AGE)
    description: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _range(self) -> Eligibility:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("対象年齢の下限が上限を超えています / age_min is above age_max")
        return self


class ResourceIn(_Strict):
    organization: Organization
    service: Service
    location: Location = Field(default_factory=Location)
    schedules: list[Schedule] = Field(default_factory=list, max_length=20)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    capacity: int | None = Field(default=None, ge=0, le=100_000, description="定員")


def published(resource_id: UUID, version: int, data: ResourceIn) -> ResourcePublished:
    """The event: codes, ids, capacity and ages only; names and addresses stay here."""
    return ResourcePublished(
        resource_id=resource_id,
        version=version,
        category=data.service.category,
        school_district_code=data.location.school_district_code,
        program_code=data.service.program_code,
        capacity=data.capacity,
        age_min=data.eligibility.age_min,
        age_max=data.eligibility.age_max,
    )
