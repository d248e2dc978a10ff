"""校区 grouped by 日常生活圏域, from the shared reference table (not a copy of it)."""

from __future__ import annotations

from pydantic import BaseModel

from kasane.reference.school_districts import SchoolDistrictTable


class DistrictOut(BaseModel):
    code: str
    name_ja: str


class AreaOut(BaseModel):
    code: str
    name_ja: str
    school_districts: list[DistrictOut]


class DistrictsOut(BaseModel):
    sample: bool  # true: the shipped SAMPLE, not the city's official list
    source: str
    daily_life_areas: list[AreaOut]


def grouped(table: SchoolDistrictTable) -> DistrictsOut:
    return DistrictsOut(
        sample=table.sample,
        source=table.source,
        daily_life_areas=[
            AreaOut(
                code=area.code,
                name_ja=area.name_ja,
                school_districts=[
                    DistrictOut(code=d.code, name_ja=d.name_ja)
                    for d in table.districts_in_area(area.code)
                ],
            )
            for area in table.daily_life_areas
        ],
    )
