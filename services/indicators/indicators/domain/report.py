"""One row per seed indicator for a fiscal year: baseline, target, actual, progress (pure).

Progress (進捗率, percent, one decimal):
- 件数 (count) indicators: 達成率 = actual ÷ target (a year's count against its target);
- 割合 (survey rate) indicators: 改善の進捗 = (actual − baseline) ÷ (target − baseline),
  i.e. how much of the planned improvement over the baseline has been reached.
A year without a target, or without an actual (no survey loaded), has progress null and a
note saying why; nothing is invented.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Literal
from uuid import UUID

from indicators.domain.catalog import INDICATORS, IndicatorDef
from indicators.domain.figures import Figures
from indicators.domain.stats import percent, round1, wilson_interval
from kasane.fiscal_year import wareki_label, western_label

TargetSource = Literal["fiscal_year", "every_year"]

NO_TARGET = "この年度の目標値は設定されていません / no target is set for this fiscal year"
NO_SURVEY = "この年度の市民意識調査の結果が未登録です / no survey results loaded for this year"


@dataclass(frozen=True)
class Target:
    value: float
    source: TargetSource


@dataclass(frozen=True)
class SurveyResult:
    question_id: str
    respondents: int
    yes: int
    load_id: UUID


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    name_ja: str
    unit: str
    kind: str
    fiscal_year: int
    fiscal_year_label: str
    fiscal_year_western: str
    baseline: float | int | None
    baseline_fiscal_year: int | None
    baseline_fiscal_year_label: str | None
    target: float | int | None
    target_source: TargetSource | None
    actual: float | int | None
    progress: float | None
    progress_method: str
    interval_lower: float | None
    interval_upper: float | None
    sample_size: int | None
    source_ja: str
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(defn: IndicatorDef, value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if defn.kind == "count" else round1(value)


def progress_of(defn: IndicatorDef, actual: float | None, target: float | None) -> float | None:
    if actual is None or target is None:
        return None
    a, t = Fraction(str(actual)), Fraction(str(target))
    if defn.kind == "count":
        return None if t == 0 else round1(100 * a / t)
    b = Fraction(str(defn.baseline)) if defn.baseline is not None else None
    if b is None or t == b:
        return None
    return round1(100 * (a - b) / (t - b))


def actual_count(defn: IndicatorDef, figures: Figures) -> tuple[int, tuple[UUID, ...]]:
    if defn.program is not None:
        found = figures.get("plans.approved", defn.program)
    elif defn.id == "jiritsu_new_consultations":
        # 新規相談受付 = consultations that are a case's first at 生活自立支援センター: opened
        # there or referred in and taken up there (README).
        found = figures.get("consultations.new_by_agency", "jiritsu")
    elif defn.id == "watch_visits":
        found = figures.get("community.watch_visits", "")
    else:
        raise ValueError(f"{defn.id} is not a count indicator")
    if found is None:
        return 0, ()
    return int(found.value or 0), found.event_ids


def indicator_rows(
    figures: Figures,
    targets: dict[str, Target],
    surveys: dict[str, SurveyResult],
) -> list[IndicatorRow]:
    fy = figures.fiscal_year
    rows = []
    for defn in INDICATORS:
        target = targets.get(defn.id)
        notes: list[str] = []
        lower = upper = size = None
        actual: float | int | None
        if defn.question_id is not None:
            result = surveys.get(defn.question_id)
            if result is None:
                actual = None
                notes.append(NO_SURVEY)
            else:
                actual = percent(result.yes, result.respondents)
                lower, upper = wilson_interval(result.yes, result.respondents)
                size = result.respondents
        else:
            actual, _ = actual_count(defn, figures)
        if target is None:
            notes.append(NO_TARGET)
        target_value = _number(defn, target.value) if target else None
        rows.append(
            IndicatorRow(
                id=defn.id,
                name_ja=defn.name_ja,
                unit=defn.unit,
                kind=defn.kind,
                fiscal_year=fy,
                fiscal_year_label=wareki_label(fy),
                fiscal_year_western=western_label(fy),
                baseline=_number(defn, defn.baseline),
                baseline_fiscal_year=defn.baseline_fiscal_year,
                baseline_fiscal_year_label=(
                    wareki_label(defn.baseline_fiscal_year) if defn.baseline_fiscal_year else None
                ),
                target=target_value,
                target_source=target.source if target else None,
                actual=actual,
                progress=progress_of(defn, actual, target_value),
                progress_method="achievement_rate" if defn.kind == "count" else "gap_closed",
                interval_lower=lower,
                interval_upper=upper,
                sample_size=size,
                source_ja=defn.source_ja,
                note=" ".join(notes) or None,
            )
        )
    return rows
