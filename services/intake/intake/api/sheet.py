"""GET /cases/{id}/sheet: the printable 相談受付・申込票 (A4 HTML, Japanese)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from intake.api.deps import Pool, PurposeHeader, Worker, purpose
from intake.domain.access import Level
from intake.guard import case_access, unit_of_work
from intake.sheet import render_sheet
from intake.store import cases, consents, consultations, persons
from kasane.clock import today_jst

router = APIRouter(tags=["帳票 forms"])


@router.get("/cases/{case_id}/sheet", response_class=HTMLResponse)
async def intake_sheet(
    case_id: UUID, principal: Worker, pool: Pool, why: PurposeHeader = None
) -> HTMLResponse:
    async with unit_of_work(pool) as conn:
        case, _ = await case_access(
            conn,
            principal,
            case_id,
            need=Level.WORK,
            action="print",
            purpose=purpose(why, "帳票出力"),
            record_type="sheet",
        )
        members = await persons.members(conn, case["household_id"]) if case["household_id"] else []
        rows = await consultations.for_case(conn, case_id)
        consent_rows = await consents.for_case(conn, case_id)
        records = await cases.records(conn, case_id, after=None, limit=500)
    html = render_sheet(case, members, rows, consent_rows, records, today_jst())
    return HTMLResponse(html)
