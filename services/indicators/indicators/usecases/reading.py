"""Everything shown for one fiscal year, read in one transaction (a consistent snapshot)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from indicators.domain.figures import Figures, compute
from indicators.domain.fiscal_years import as_of_date
from indicators.domain.report import IndicatorRow, SurveyResult, Target, indicator_rows
from indicators.store import consultations, facts, surveys, targets
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
        received = await facts.consultations_for_year(conn, fiscal_year)
        earlier = await facts.earlier_consulted(conn, fiscal_year)
        year_facts = await facts.facts_for_year(conn, fiscal_year)
        year_targets = await targets.effective_targets(conn, fiscal_year)
        year_surveys = await surveys.effective_results(conn, fiscal_year)
    as_of = as_of_date(fiscal_year, today)
    figures = compute(fiscal_year, received, year_facts, as_of, today, earlier)
    return YearReport(
        fiscal_year,
        as_of,
        figures,
        indicator_rows(figures, year_targets, year_surveys),
        year_surveys,
    )


async def year_report(pool: asyncpg.Pool, fiscal_year: int, today: date) -> YearReport:
    """Everything shown for ``fiscal_year`` (JSON reports, downloads, the dashboard)."""
    async with pool.acquire() as conn:
        return await read_year(conn, fiscal_year, today)


async def consultations_by_agency(pool: asyncpg.Pool, fiscal_year: int) -> dict[str, int]:
    """Consultations received per agency in ``fiscal_year`` (no personal data)."""
    async with pool.acquire() as conn:
        return await consultations.by_agency(conn, fiscal_year)


async def effective_targets(pool: asyncpg.Pool, fiscal_year: int) -> dict[str, Target]:
    async with pool.acquire() as conn:
        return await targets.effective_targets(conn, fiscal_year)


async def effective_surveys(pool: asyncpg.Pool, fiscal_year: int) -> dict[str, SurveyResult]:
    async with pool.acquire() as conn:
        return await surveys.effective_results(conn, fiscal_year)
