"""Everything shown for one fiscal year, read in one transaction (a consistent snapshot)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from indicators import facts_store, surveys_store, targets_store
from indicators.domain import as_of_date
from indicators.figures import Figures, compute
from indicators.report import IndicatorRow, SurveyResult, indicator_rows
from kasane.fiscal_year import wareki_label, western_label


@dataclass(frozen=True)
class YearReport:
    fiscal_year: int
    as_of: date
    figures: Figures
    rows: list[IndicatorRow]
    surveys: dict[str, SurveyResult]

    @property
    def labels(self) -> dict[str, str]:
        return {
            "fiscal_year_label": wareki_label(self.fiscal_year),
            "fiscal_year_western": western_label(self.fiscal_year),
        }


async def read_year(conn: asyncpg.Connection, fiscal_year: int, today: date) -> YearReport:
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        consultations = await facts_store.consultations_for_year(conn, fiscal_year)
        facts = await facts_store.facts_for_year(conn, fiscal_year)
        targets = await targets_store.effective_targets(conn, fiscal_year)
        surveys = await surveys_store.effective_results(conn, fiscal_year)
    as_of = as_of_date(fiscal_year, today)
    figures = compute(fiscal_year, consultations, facts, as_of, today)
    return YearReport(
        fiscal_year, as_of, figures, indicator_rows(figures, targets, surveys), surveys
    )
