"""The parts of a directory entry every service shares, in the shape of Open Referral's
Human Services Data Specification (organization, service, location, schedule,
eligibility), so community's directory and participation's own resources read alike and
can be exported to HSDS tools. Directory entries describe places, never people.

Each service adds its own ``service`` model: what categories it accepts is its business.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from kasane.types import Line, SchoolDistrictCode, Text

_DAY = r"(?:[1-5]|-1)?(?:MO|TU|WE|TH|FR|SA|SU)"  # "2WE" = second Wednesday of the month
_BYDAY = re.compile(rf"^{_DAY}(?:,{_DAY})*$")
MAX_AGE = 120


# A wall-clock time in Japan ("10:00"), as HSDS schedules write it. JSON Schema's "time" format
# (RFC 3339) requires an offset, which a weekly opening hour does not have; say what it is.
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?$",
            "description": "現地時刻 / local time in Japan, HH:MM[:SS]",
        }
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Organization(Strict):
    name: Line = Field(min_length=1, max_length=200)
    description: Text | None = Field(default=None, max_length=2000)
    url: Line | None = Field(default=None, max_length=500)
    email: Line | None = Field(default=None, max_length=200)
    phone: Line | None = Field(default=None, max_length=50)


class Location(Strict):
    name: Line | None = Field(default=None, max_length=200)
    address: Line | None = Field(default=None, max_length=400)
    school_district_code: SchoolDistrictCode | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class Schedule(Strict):
    """HSDS/iCal-like: ``freq`` WEEKLY or MONTHLY, ``byday`` e.g. ``MO,TH`` or ``2WE``."""

    freq: Literal["WEEKLY", "MONTHLY"] = "WEEKLY"
    byday: str
    opens_at: LocalTime
    closes_at: LocalTime
    description: Text | None = Field(default=None, max_length=200)

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


class Eligibility(Strict):
    age_min: int | None = Field(default=None, ge=0, le=MAX_AGE)
    age_max: int | None = Field(default=None, ge=0, le=MAX_AGE)
    description: Text | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _range(self) -> Eligibility:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("対象年齢の下限が上限を超えています / age_min is above age_max")
        return self
