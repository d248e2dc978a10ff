"""The mix of a year's consultations: volumes per agency, issue codes, ages, channels.

Plausible rather than measured: each agency mostly hears its own domain, with the tangled
situations (8050, ダブルケア, ヤングケアラー, ひきこもり) spread across all of them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

# New cases a year per agency at scale 1.0 (生活自立支援センター: near its R7 figure 1,020).
JIRITSU_NEW_CASES = 1_020
VOLUMES: dict[str, tuple[int, int]] = {
    **{f"houkatsu-{i:02d}": (95, 130) for i in range(1, 12)},
    **{f"kikan-{i:02d}": (45, 70) for i in range(1, 5)},
    "kodomo": (190, 230),
}

# (issue code, weight) per agency kind; 1–3 codes are drawn per consultation.
ISSUES: dict[str, tuple[tuple[str, int], ...]] = {
    "houkatsu": (
        ("elderly_care", 60),
        ("isolation", 10),
        ("self_neglect", 5),
        ("8050", 6),
        ("double_care", 3),
        ("mental_health", 4),
        ("housing", 3),
        ("debt", 2),
        ("abuse_dv", 3),
        ("poverty", 3),
        ("other", 1),
    ),
    "kikan": (
        ("disability", 55),
        ("mental_health", 12),
        ("employment", 8),
        ("hikikomori", 8),
        ("young_carer", 3),
        ("8050", 4),
        ("isolation", 4),
        ("housing", 3),
        ("poverty", 3),
    ),
    "kodomo": (
        ("childrearing", 50),
        ("school_refusal", 12),
        ("abuse_dv", 8),
        ("young_carer", 7),
        ("double_care", 5),
        ("poverty", 8),
        ("foreign_language", 4),
        ("mental_health", 4),
        ("disability", 2),
    ),
    "jiritsu": (
        ("poverty", 45),
        ("debt", 14),
        ("employment", 14),
        ("housing", 9),
        ("hikikomori", 5),
        ("mental_health", 4),
        ("8050", 3),
        ("foreign_language", 2),
        ("isolation", 3),
        ("other", 1),
    ),
}

# Age range of the person a consultation is about, per agency kind.
AGES: dict[str, tuple[int, int]] = {
    "houkatsu": (62, 95),
    "kikan": (12, 68),
    "kodomo": (0, 17),
    "jiritsu": (19, 78),
}

CHANNELS = (
    ("in_person", 40),
    ("phone", 35),
    ("home_visit", 8),
    ("email", 4),
    ("from_agency", 10),
    ("watch_network", 3),
)
CONSULTED_BY = (("self", 45), ("family", 35), ("agency", 14), ("resident", 6))
WALKIN_OUTCOMES = (("resolved_at_window", 60), ("connected", 28), (None, 12))


def kind_of(agency: str) -> str:
    return agency.split("-")[0]


def pick(rng: random.Random, weighted: Sequence[tuple[T, int]]) -> T:
    values = [v for v, _ in weighted]
    return rng.choices(values, weights=[w for _, w in weighted])[0]


def issue_codes(rng: random.Random, agency: str) -> tuple[str, ...]:
    table = ISSUES[kind_of(agency)]
    n = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
    found: list[str] = []
    while len(found) < n:
        code = pick(rng, table)
        if code not in found:
            found.append(code)
    return tuple(found)


def age_for(rng: random.Random, agency: str) -> int:
    low, high = AGES[kind_of(agency)]
    return rng.randint(low, high)
