"""SQL for cases, their timeline (支援経過記録) and closing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

import asyncpg

from intake.domain.cases import CaseCloseIn, CaseReopenIn, RecordIn
from intake.domain.models import Case, CaseRecord, CaseSummary, Reopening
from intake.store.rows import maybe_row_to, rows_to
from kasane.db.statement import Write

_INSERT_CASE = (
    "INSERT INTO cases (id, household_id, primary_person_id, lead_agency_id, opened_on,"
    " school_district_code, created_by, issue_codes, between_systems)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
)
# The unique index that keeps one open case per household (0002_persons_households_cases).
ONE_OPEN_PER_HOUSEHOLD = "cases_one_open_per_household"


def case_row(
    case_id: UUID,
    *,
    household_id: UUID | None,
    primary_person_id: UUID | None,
    lead_agency_id: str,
    opened_on: date,
    school_district_code: str | None,
    created_by: str,
    issue_codes: Sequence[str] = (),
    between_systems: bool = False,
) -> Write:
    """A new open case, classified from the start when its first consultation comes with it."""
    return Write(
        _INSERT_CASE,
        (
            case_id,
            household_id,
            primary_person_id,
            lead_agency_id,
            opened_on,
            school_district_code,
            created_by,
            list(issue_codes),
            between_systems,
        ),
    )


async def get_case(conn: asyncpg.Connection, case_id: UUID) -> Case | None:
    return maybe_row_to(Case, await conn.fetchrow("SELECT * FROM cases WHERE id = $1", case_id))


async def lock_case(conn: asyncpg.Connection, case_id: UUID) -> Case | None:
    return maybe_row_to(
        Case, await conn.fetchrow("SELECT * FROM cases WHERE id = $1 FOR UPDATE", case_id)
    )


async def open_case_of_household(conn: asyncpg.Connection, household_id: UUID) -> UUID | None:
    value: UUID | None = await conn.fetchval(
        "SELECT id FROM cases WHERE household_id = $1 AND status = 'open'", household_id
    )
    return value


async def led_by(
    conn: asyncpg.Connection, agency_id: str, status: str, limit: int, offset: int
) -> list[CaseSummary]:
    """The agency's cases as 主担当, newest first (``status``: open, closed or all)."""
    return rows_to(
        CaseSummary,
        await conn.fetch(
            "SELECT id, status, opened_on, closed_on, issue_codes, between_systems,"
            " school_district_code FROM cases WHERE lead_agency_id = $1"
            " AND ($2 = 'all' OR status = $2) ORDER BY opened_on DESC, id LIMIT $3 OFFSET $4",
            agency_id,
            status,
            limit,
            offset,
        ),
    )


async def cases_of_person(conn: asyncpg.Connection, person_id: UUID) -> list[Case]:
    return rows_to(
        Case,
        await conn.fetch(
            "SELECT c.* FROM cases c WHERE c.primary_person_id = $1 OR c.household_id IN"
            " (SELECT household_id FROM household_members WHERE person_id = $1)",
            person_id,
        ),
    )


async def cases_of_household(conn: asyncpg.Connection, household_id: UUID) -> list[Case]:
    return rows_to(
        Case, await conn.fetch("SELECT * FROM cases WHERE household_id = $1", household_id)
    )


def classification_row(case_id: UUID, issue_codes: list[str], between_systems: bool) -> Write:
    """A case's classification after a consultation (制度の狭間 once flagged stays flagged)."""
    return Write(
        "UPDATE cases SET issue_codes = $2, between_systems = between_systems OR $3 WHERE id = $1",
        (case_id, issue_codes, between_systems),
    )


async def close_case(conn: asyncpg.Connection, case_id: UUID, data: CaseCloseIn) -> None:
    await conn.execute(
        "UPDATE cases SET status = 'closed', closed_on = $2, close_reason = $3, close_note = $4"
        " WHERE id = $1",
        case_id,
        data.closed_on,
        data.reason,
        data.note,
    )


async def reopen_case(
    conn: asyncpg.Connection,
    reopening_id: UUID,
    case: Case,
    data: CaseReopenIn,
    sub: str,
    agency: str,
) -> None:
    """The case is open again; the closure it ends is kept with the reopening."""
    await conn.execute(
        "INSERT INTO case_reopenings (id, case_id, reopened_on, reason, note, closed_on,"
        " close_reason, close_note, reopened_by, reopened_agency)"
        " SELECT $1, id, $2, $3, $4, closed_on, close_reason, close_note, $5, $6"
        " FROM cases WHERE id = $7",
        reopening_id,
        data.reopened_on,
        data.reason,
        data.note,
        sub,
        agency,
        case.id,
    )
    await conn.execute(
        "UPDATE cases SET status = 'open', closed_on = NULL, close_reason = NULL,"
        " close_note = NULL, reopened_on = $2 WHERE id = $1",
        case.id,
        data.reopened_on,
    )


async def reopenings(conn: asyncpg.Connection, case_id: UUID) -> list[Reopening]:
    return rows_to(
        Reopening,
        await conn.fetch(
            "SELECT * FROM case_reopenings WHERE case_id = $1 ORDER BY reopened_on, created_at",
            case_id,
        ),
    )


async def insert_record(
    conn: asyncpg.Connection, record_id: UUID, case_id: UUID, data: RecordIn, sub: str, agency: str
) -> None:
    await conn.execute(
        "INSERT INTO case_records (id, case_id, kind, occurred_at, body, author_sub,"
        " author_agency) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        record_id,
        case_id,
        data.kind,
        data.occurred_at,
        data.body,
        sub,
        agency,
    )


async def records(
    conn: asyncpg.Connection, case_id: UUID, *, after: datetime | None, limit: int
) -> list[CaseRecord]:
    return rows_to(
        CaseRecord,
        await conn.fetch(
            "SELECT * FROM case_records WHERE case_id = $1"
            " AND ($2::timestamptz IS NULL OR occurred_at > $2)"
            " ORDER BY occurred_at, id LIMIT $3",
            case_id,
            after,
            limit,
        ),
    )
