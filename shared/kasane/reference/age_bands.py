"""Age → decade band (年代). Events carry the band, never the age or birth date (DESIGN 4)."""

from __future__ import annotations

from typing import cast

from kasane.reference.codes import AgeBand

# Everyone at or above this age shares one band, so very old ages stay non-identifying.
_TOP_BAND_FROM = 90


def age_band_of(age: int) -> AgeBand:
    # bool is an int subclass; True would silently become "0-9".
    if isinstance(age, bool) or not isinstance(age, int):
        raise TypeError(f"age must be an int, got {type(age).__name__}")
    if age < 0:
        raise ValueError(f"age must not be negative, got {age}")
    if age >= _TOP_BAND_FROM:
        return "90+"
    low = age // 10 * 10
    return cast(AgeBand, f"{low}-{low + 9}")
