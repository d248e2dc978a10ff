"""Rules of a target the city sets: a known indicator, a value fitting its kind (pure)."""

from __future__ import annotations

from indicators.domain.catalog import BY_ID, INDICATORS, IndicatorDef
from kasane.errors import Invalid, NotFound


def indicator(indicator_id: str) -> IndicatorDef:
    defn = BY_ID.get(indicator_id)
    if defn is None:
        raise Invalid(
            "indicator_id",
            f"未知の指標です / unknown indicator {indicator_id!r}; known: "
            + ", ".join(i.id for i in INDICATORS),
        )
    return defn


def indicator_to_trace(indicator_id: str) -> IndicatorDef:
    """A path naming an unknown indicator is a missing resource (404), not bad input."""
    defn = BY_ID.get(indicator_id)
    if defn is None:
        raise NotFound("indicator_id", f"未知の指標です / unknown indicator {indicator_id}")
    return defn


def checked_value(defn: IndicatorDef, value: float) -> float:
    if defn.kind == "rate" and value > 100:
        raise Invalid("target", "割合は100以下です / a percentage is at most 100")
    if defn.kind == "count" and value != int(value):
        raise Invalid("target", "件数は整数です / a count target must be a whole number")
    return value
