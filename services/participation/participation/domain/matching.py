"""Matching suggestions: category, eligibility (age band vs age range), area, free places.

Pure: the store loads candidate resources, these rules filter and rank them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from kasane.reference.school_districts import get_school_district, is_valid_school_district

Proximity = Literal["school_district", "daily_life_area", "citywide", "other"]
Within = Literal["school_district", "daily_life_area", "city"]

_RANK: Final[dict[Proximity, int]] = {
    "school_district": 0,
    "daily_life_area": 1,
    "citywide": 2,
    "other": 3,
}
_TOP_AGE: Final = 200


@dataclass(frozen=True)
class Candidate:
    resource_id: str
    category: str
    school_district_code: str | None
    age_min: int | None
    age_max: int | None
    free: int | None  # None: no stated limit


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    proximity: Proximity


def band_range(age_band: str) -> tuple[int, int]:
    """ "40-49" → (40, 49); "90+" → (90, open)."""
    if age_band.endswith("+"):
        return int(age_band[:-1]), _TOP_AGE
    low, high = age_band.split("-")
    return int(low), int(high)


def eligible(age_band: str | None, age_min: int | None, age_max: int | None) -> bool:
    # A band overlapping the range is suggested: staff check the exact age, and a
    # suggestion hidden for a 44-year-old at a "15–44" place would be a worse error.
    if age_band is None:
        return True
    low, high = band_range(age_band)
    return (age_min is None or age_min <= high) and (age_max is None or age_max >= low)


def proximity(home: str | None, place: str | None) -> Proximity:
    if place is None:
        return "citywide"  # no 校区: serves the whole city
    if home is None or not is_valid_school_district(home) or not is_valid_school_district(place):
        return "other"
    if home == place:
        return "school_district"
    same_area = (
        get_school_district(home).daily_life_area == get_school_district(place).daily_life_area
    )
    return "daily_life_area" if same_area else "other"


def _inside(found: Proximity, within: Within) -> bool:
    if found == "citywide" or within == "city":
        return True
    if within == "daily_life_area":
        return found in ("school_district", "daily_life_area")
    return found == "school_district"


def suggest(
    candidates: list[Candidate],
    *,
    age_band: str | None,
    home_district: str | None,
    category: str | None,
    within: Within,
) -> list[Match]:
    matches = []
    for c in candidates:
        if category is not None and c.category != category:
            continue
        if c.free is not None and c.free <= 0:
            continue
        if not eligible(age_band, c.age_min, c.age_max):
            continue
        found = proximity(home_district, c.school_district_code)
        if _inside(found, within):
            matches.append(Match(c, found))
    # Nearest first, then the most room, then a stable order.
    return sorted(
        matches,
        key=lambda m: (
            _RANK[m.proximity],
            -(m.candidate.free if m.candidate.free is not None else 10_000),
            m.candidate.resource_id,
        ),
    )
