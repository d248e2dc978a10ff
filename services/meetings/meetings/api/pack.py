"""GET /meetings/{id}/pack: the printable A4 会議資料 for the requesting member."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse

from kasane.errors import Forbidden, Invalid, NotFound
from kasane.reference.agencies import is_known_agency
from meetings.api.deps import CaseWorker, Pool, Today
from meetings.auditing import audit, refuse_audited
from meetings.domain.access import is_coordinator, pack_denial
from meetings.pack import render_pack
from meetings.store import meetings as meetings_store
from meetings.viewing import load_view

router = APIRouter(tags=["会議資料 pack"])

_PURPOSE = "会議資料の閲覧 / meeting pack"


@router.get("/meetings/{meeting_id}/pack", response_class=HTMLResponse)
async def meeting_pack(
    meeting_id: UUID,
    principal: CaseWorker,
    pool: Pool,
    clock: Today,
    for_agency: Annotated[
        str | None, Query(description="社協のみ: この参加機関向けの資料を作成（印刷配布用）")
    ] = None,
) -> HTMLResponse:
    """Only what this member may see: a non-member (or a 支援会議 member without a
    守秘義務 pledge) gets 403 with the reason; hidden items show their number and why."""
    agency = principal.agency
    if for_agency is not None and for_agency != agency:
        if not is_coordinator(agency):
            raise HTTPException(
                403, "他機関向けの資料は社協のみ / only shakyo prepares packs for others"
            )
        if not is_known_agency(for_agency):
            raise Invalid("for_agency", f"未知の機関 / unknown agency id: {for_agency}")
        agency = for_agency
    html: str | None = None
    refused = Forbidden("agency", "")
    async with pool.acquire() as conn, conn.transaction():
        meeting = await meetings_store.get(conn, meeting_id)
        if meeting is None:
            raise NotFound("meeting_id", "会議が見つかりません / meeting not found")
        view = await load_view(conn, meeting, agency, clock.today())
        denied = pack_denial(meeting, agency, view.members.get(agency))
        if denied is None:
            for item in view.visible:
                await audit(
                    conn,
                    principal,
                    record_type="agenda_item",
                    record_id=item.id,
                    action="read",
                    purpose=_PURPOSE + (f" (for {agency})" if agency != principal.agency else ""),
                    legal_basis=item.legal_basis,
                    subject_id=item.case_id,
                )
            html = render_pack(view.pack(clock.today()))
        else:
            refused = denied
    if html is None:
        await refuse_audited(
            pool,
            principal,
            refused,
            record_type="meeting_pack",
            record_id=meeting_id,
            action="read",
            purpose=_PURPOSE,
        )
    return HTMLResponse(html)
