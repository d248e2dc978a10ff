"""GET /meetings/{id}/minutes (JSON) and /minutes.html (A4 print): the 議事録 with attendance."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from kasane.wareki import format_date
from meetings.api.deps import CaseWorkerOrPartner, Pool, Today
from meetings.api.minutes_html import render_minutes
from meetings.domain.minutes import Minutes, agency_name, kind_label
from meetings.usecases.viewing import meeting_minutes

router = APIRouter(tags=["議事録 minutes"])

ForAgency = Annotated[
    str | None, Query(description="社協のみ: この参加機関向けの議事録を作成（印刷配布用）")
]


def minutes_json(minutes: Minutes) -> dict[str, Any]:
    meeting = minutes.meeting
    held_on = meeting.held_on or meeting.meeting_date
    return {
        "meeting_id": str(meeting.id),
        "type": meeting.meeting_type,
        "ad_hoc": meeting.ad_hoc,
        "final": minutes.final,
        "held_on": held_on,
        "held_on_wareki": format_date(held_on, weekday=True),
        "place": meeting.place,
        "for_agency": minutes.viewer_agency_id,
        "attendance": [
            {
                "agency_id": a.agency_id,
                "agency_name": agency_name(a.agency_id),
                "present": a.present,
            }
            for a in minutes.attendance
        ],
        "items": [
            {
                "position": i.position,
                "kind": i.kind,
                "kind_label": kind_label(i.kind),
                "visible": i.hidden_reason is None,
                "hidden_reason": i.hidden_reason,
                "case_id": str(i.case_id) if i.case_id else None,
                "presenting_agency_id": i.presenting_agency_id,
                "profile": i.profile,
                "decision": i.decision,
            }
            for i in minutes.items
        ],
    }


@router.get("/meetings/{meeting_id}/minutes")
async def get_minutes(
    meeting_id: UUID,
    principal: CaseWorkerOrPartner,
    pool: Pool,
    clock: Today,
    for_agency: ForAgency = None,
) -> dict[str, Any]:
    """議事録 as JSON: date, place, attendance (present/absent per member agency), each
    item's decision (roles with 主担当, 終結/中断 and reason, gaps, next review). Members
    see what their pack shows; a 支援会議 member not admitted or pledged gets 403."""
    return minutes_json(
        await meeting_minutes(pool, principal, meeting_id, for_agency, clock.today())
    )


@router.get("/meetings/{meeting_id}/minutes.html", response_class=HTMLResponse)
async def print_minutes(
    meeting_id: UUID,
    principal: CaseWorkerOrPartner,
    pool: Pool,
    clock: Today,
    for_agency: ForAgency = None,
) -> HTMLResponse:
    """The same minutes, printable on A4 with 和暦 dates (a draft until the meeting is held)."""
    minutes = await meeting_minutes(pool, principal, meeting_id, for_agency, clock.today())
    return HTMLResponse(render_minutes(minutes))
