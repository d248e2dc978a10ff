"""GET /cases/{id}/sheet: the printable 相談受付・申込票 (A4 HTML, Japanese)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from intake.api.deps import Pool, PurposeHeader, purpose
from intake.usecases import sheet
from kasane.auth.roles import CaseWorker

router = APIRouter(tags=["帳票 forms"])


@router.get("/cases/{case_id}/sheet", response_class=HTMLResponse)
async def intake_sheet(
    case_id: UUID, principal: CaseWorker, pool: Pool, why: PurposeHeader = None
) -> HTMLResponse:
    return HTMLResponse(
        await sheet.intake_sheet(pool, principal, case_id, purpose(why, "帳票出力"))
    )
