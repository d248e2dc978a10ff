"""Figures and the small counting helpers every group of figures uses (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from indicators.domain.facts import Fact

Value = int | float | None

PROGRAMS: tuple[str, ...] = ("participation", "outreach", "multiagency")
MEETING_TYPES: tuple[str, ...] = ("multilayer_meeting", "support_meeting")
LEGAL_BASES: tuple[str, ...] = ("consent", "support_meeting")
# アウトリーチの関わりの段階, in order (outreach.EngagementStageChanged.to_stage).
STAGES: tuple[str, ...] = (
    "not_contacted",
    "contacted",
    "relationship",
    "support_started",
    "stable",
)


@dataclass(frozen=True)
class Figure:
    figure: str  # e.g. "consultations.by_agency"
    key: str  # the breakdown value ("jiritsu", "2025-04", ...); "" for a single number
    value: Value
    event_ids: tuple[UUID, ...]


class Figures:
    """The figures of one year, looked up by (figure, key)."""

    def __init__(self, fiscal_year: int, figures: Iterable[Figure]) -> None:
        self.fiscal_year = fiscal_year
        self.all: list[Figure] = list(figures)
        self._index = {(f.figure, f.key): f for f in self.all}

    def get(self, figure: str, key: str = "") -> Figure | None:
        return self._index.get((figure, key))

    def value(self, figure: str, key: str = "") -> Value:
        found = self.get(figure, key)
        return found.value if found else 0

    def series(self, figure: str) -> list[Figure]:
        return [f for f in self.all if f.figure == figure]


def count(figure: str, key: str, ids: Sequence[UUID]) -> Figure:
    return Figure(figure, key, len(ids), tuple(ids))


def grouped(
    figure: str, pairs: Iterable[tuple[str, UUID]], keys: Sequence[str] = ()
) -> list[Figure]:
    groups: dict[str, list[UUID]] = {k: [] for k in keys}
    for key, event_id in pairs:
        groups.setdefault(key, []).append(event_id)
    ordered = list(keys) + sorted(k for k in groups if k not in keys)
    return [count(figure, k, groups[k]) for k in ordered]


def of_type(facts: Iterable[Fact], *types: str) -> list[Fact]:
    return [f for f in facts if f.event_type in types]


def in_year(facts: Iterable[Fact], fiscal_year: int) -> list[Fact]:
    return [f for f in facts if f.fiscal_year == fiscal_year]


def first_per_subject(facts: Iterable[Fact]) -> dict[str, Fact]:
    first: dict[str, Fact] = {}
    for f in sorted(facts, key=lambda f: (f.on_date, f.occurred_at, f.event_id)):
        first.setdefault(f.subject_id, f)
    return first


def summed(
    figure: str, facts: Iterable[tuple[str, Fact]], keys: Sequence[str] = ()
) -> list[Figure]:
    groups: dict[str, list[Fact]] = {k: [] for k in keys}
    for key, f in facts:
        groups.setdefault(key, []).append(f)
    ordered = list(keys) + sorted(k for k in groups if k not in keys)
    return [
        Figure(
            figure, k, sum(f.amount or 0 for f in groups[k]), tuple(f.event_id for f in groups[k])
        )
        for k in ordered
    ]
