"""SQL of 市民意識調査 loads; per question the latest load of the year is effective."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from indicators.domain.report import SurveyResult
from kasane.auth import Principal
from kasane.ids import uuid7


async def add_load(
    conn: asyncpg.Connection,
    fiscal_year: int,
    source: str,
    counts: dict[str, tuple[int, int]],
    by: Principal,
) -> UUID:
    load_id = uuid7()
    await conn.execute(
        "INSERT INTO survey_loads (id, fiscal_year, source, loaded_by_agency, loaded_by_sub)"
        " VALUES ($1, $2, $3, $4, $5)",
        load_id,
        fiscal_year,
        source,
        by.agency,
        by.sub,
    )
    await conn.executemany(
        "INSERT INTO survey_results (load_id, question_id, respondents, yes)"
        " VALUES ($1, $2, $3, $4)",
        [(load_id, q, n, yes) for q, (n, yes) in counts.items()],
    )
    return load_id


async def effective_results(conn: asyncpg.Connection, fiscal_year: int) -> dict[str, SurveyResult]:
    rows = await conn.fetch(
        "SELECT DISTINCT ON (r.question_id) r.question_id, r.respondents, r.yes, r.load_id"
        " FROM survey_results r JOIN survey_loads l ON l.id = r.load_id"
        " WHERE l.fiscal_year = $1 ORDER BY r.question_id, l.loaded_at DESC, l.id DESC",
        fiscal_year,
    )
    return {
        r["question_id"]: SurveyResult(r["question_id"], r["respondents"], r["yes"], r["load_id"])
        for r in rows
    }
