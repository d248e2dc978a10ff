"""GET /meetings/{id}/pack: the printable A4 会議資料 for the requesting member."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from meetings.api.deps import CaseWorkerOrPartner, Pool, Today
from meetings.api.pack_html import render_pack
from meetings.usecases.viewing import meeting_pack as pack_of

router = APIRouter(tags=["会議資料 pack"])


@router.get("/meetings/{meeting_id}/pack", response_class=HTMLResponse)
async def meeting_pack(
    meeting_id: UUID,
    principal: CaseWorkerOrPartner,
    pool: Pool,
    clock: Today,
    for_agency: Annotated[
        str | None, Query(description="社協のみ: この参加機関向けの資料を作成（印刷配布用）")
    ] = None,
) -> HTMLResponse:
    """Only what this member may see (a 連携機関 invited for a case too): a non-member
    (or a 支援会議 member without a 守秘義務 pledge) gets 403 with the reason; hidden items
    show their number and why."""
    pack = await pack_of(pool, principal, meeting_id, for_agency, clock.today())
    return HTMLResponse(render_pack(pack))
