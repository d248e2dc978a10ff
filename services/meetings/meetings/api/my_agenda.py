"""GET /agenda/mine: meetings coming up with my agency's cases on them (portal home)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from kasane.types import IsoDate
from kasane.wareki import format_date
from meetings.api.deps import CaseWorker, Pool, Today
from meetings.usecases.my_agenda import my_upcoming_items

router = APIRouter(tags=["会議 meetings"])


class MyAgendaItem(BaseModel):
    meeting_id: str
    meeting_type: str  # multilayer_meeting | support_meeting
    meeting_date: IsoDate
    meeting_date_wareki: str  # 令和8年12月1日
    meeting_status: str  # scheduled | held
    agenda_item_id: str
    position: int
    case_id: str
    kind: str
    presenting_agency_id: str
    my_part: Literal["lead", "presenter"]  # why the item is mine


class MyAgenda(BaseModel):
    since: IsoDate
    items: list[MyAgendaItem]


@router.get("/agenda/mine")
async def my_agenda(
    principal: CaseWorker,
    pool: Pool,
    clock: Today,
    since: Annotated[IsoDate | None, Query(description="この日以降の会議 (既定: 今日)")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MyAgenda:
    """Agenda items, from ``since`` (default today) on, of cases my agency leads (主担当) or
    items it presents. Ids, dates and codes only (no summary): no audit row."""
    day = since or clock.today()
    found = await my_upcoming_items(pool, principal, day, limit)
    return MyAgenda(
        since=day,
        items=[
            MyAgendaItem(
                meeting_id=str(i.meeting_id),
                meeting_type=i.meeting_type,
                meeting_date=i.meeting_date,
                meeting_date_wareki=format_date(i.meeting_date),
                meeting_status=i.meeting_status,
                agenda_item_id=str(i.agenda_item_id),
                position=i.position,
                case_id=str(i.case_id),
                kind=i.kind,
                presenting_agency_id=i.presenting_agency_id,
                my_part="lead" if i.lead_agency_id == principal.agency else "presenter",
            )
            for i in found
        ],
    )
