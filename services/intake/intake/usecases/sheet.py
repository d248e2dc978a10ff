"""帳票出力: the case's 相談受付・申込票 (A4 HTML), rendered from what the caller may see."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from intake.domain.access import Level
from intake.domain.sheet import render_sheet
from intake.store import cases, consents, consultations, persons
from intake.usecases.access import case_access
from intake.usecases.transaction import unit_of_work
from kasane.auth import Principal
from kasane.clock import system_clock

SHEET_RECORDS = 500  # the timeline printed on the sheet


async def intake_sheet(
    pool: asyncpg.Pool, principal: Principal, case_id: UUID, purpose: str
) -> str:
    async with unit_of_work(pool) as conn:
        case, _ = await case_access(
            conn,
            principal,
            case_id,
            need=Level.WORK,
            action="print",
            purpose=purpose,
            record_type="sheet",
        )
        members = await persons.members(conn, case.household_id) if case.household_id else []
        rows = await consultations.for_case(conn, case_id)
        consent_rows = await consents.for_case(conn, case_id)
        records = await cases.records(conn, case_id, after=None, limit=SHEET_RECORDS)
    return render_sheet(case, members, rows, consent_rows, records, system_clock().today())
