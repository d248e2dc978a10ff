"""校区 (elementary school districts) and the 日常生活圏域 they belong to.

See docs/architecture/domain-rules.md and reference-data.md.

Every service validates 校区 codes against one table: the version the city imported with
``kasane reference import`` (``$KASANE_REFERENCE_DIR``), else the packaged SAMPLE
(``"sample": true``; the seed does not list the districts). ``KASANE_SCHOOL_DISTRICTS_FILE``,
the older way (one JSON file in the shape of ``school_districts.json``), still wins when set.
Codes are two-digit strings and are never renumbered once events carry them.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from kasane.reference._resources import (
    read_packaged_json,
    school_districts_file,
)
from kasane.reference.errors import UnknownReferenceCodeError

TwoDigitCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]


class DailyLifeArea(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: TwoDigitCode
    name_ja: str


class SchoolDistrict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: TwoDigitCode
    name_ja: str
    daily_life_area: TwoDigitCode


class SchoolDistrictTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sample: bool
    source: str
    daily_life_areas: tuple[DailyLifeArea, ...]
    school_districts: tuple[SchoolDistrict, ...]

    @model_validator(mode="after")
    def _consistent(self) -> SchoolDistrictTable:
        if not self.school_districts:
            raise ValueError("school_districts must not be empty")
        for kind, codes in (
            ("daily_life_areas", [a.code for a in self.daily_life_areas]),
            ("school_districts", [d.code for d in self.school_districts]),
        ):
            if len(codes) != len(set(codes)):
                raise ValueError(f"{kind} codes must be unique")
        areas = {a.code for a in self.daily_life_areas}
        for district in self.school_districts:
            if district.daily_life_area not in areas:
                raise ValueError(
                    f"school district {district.code}: unknown daily_life_area "
                    f"{district.daily_life_area!r}"
                )
        return self

    def get(self, code: str) -> SchoolDistrict:
        for district in self.school_districts:
            if district.code == code:
                return district
        raise UnknownReferenceCodeError(f"unknown school district code {code!r}")

    def is_valid(self, code: str) -> bool:
        return any(d.code == code for d in self.school_districts)

    def districts_in_area(self, area_code: str) -> tuple[SchoolDistrict, ...]:
        return tuple(d for d in self.school_districts if d.daily_life_area == area_code)


def parse_school_districts(data: Any) -> SchoolDistrictTable:
    """Validate already-decoded JSON; raises pydantic.ValidationError (a ValueError)."""
    return SchoolDistrictTable.model_validate(data)


def load_school_districts(path: str | os.PathLike[str]) -> SchoolDistrictTable:
    """Load a table in the shape above, e.g. the city's official list."""
    text = Path(path).read_text(encoding="utf-8")
    return parse_school_districts(json.loads(text))


@lru_cache(maxsize=1)
def active_school_districts() -> SchoolDistrictTable:
    """The table in force: ``$KASANE_SCHOOL_DISTRICTS_FILE`` if set, else the imported
    version's, else the SAMPLE.

    Loaded once per process; tests that change the variable call ``cache_clear()``.
    """
    path = school_districts_file()
    if path is not None:
        return load_school_districts(path)
    return parse_school_districts(read_packaged_json("school_districts.json"))


def school_districts() -> tuple[SchoolDistrict, ...]:
    return active_school_districts().school_districts


def get_school_district(code: str) -> SchoolDistrict:
    return active_school_districts().get(code)


def is_valid_school_district(code: str) -> bool:
    return active_school_districts().is_valid(code)
