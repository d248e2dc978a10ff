"""POST /calendar/{fiscal_year}: generate a fiscal year's regular meetings (idempotent)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from kasane.fiscal_year import wareki_label
from meetings.api.deps import Coordinator, Events, Pool, Today
from meetings.api.schemas import MeetingOut
from meetings.domain.calendar import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, HolidayPolicy
from meetings.usecases.scheduling import generate_calendar as generate

router = APIRouter(tags=["会議日程 calendar"])


class CalendarOut(BaseModel):
    fiscal_year: int
    wareki: str
    created: int  # 0 when the year existed already
    meetings: list[MeetingOut]


@router.post("/calendar/{fiscal_year}")
async def generate_calendar(
    principal: Coordinator,
    pool: Pool,
    events: Events,
    clock: Today,
    fiscal_year: Annotated[int, Path(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度")],
    holiday_policy: Annotated[
        HolidayPolicy | None,
        Query(description="第4水曜日が休日の場合（既定: 設定 KASANE_MEETINGS_HOLIDAY_POLICY）"),
    ] = None,
) -> CalendarOut:
    done = await generate(pool, events, principal, fiscal_year, holiday_policy, clock.today())
    return CalendarOut(
        fiscal_year=fiscal_year,
        wareki=wareki_label(fiscal_year),
        created=done.created,
        meetings=[MeetingOut.of(m, done.item_counts.get(m.id, 0)) for m in done.meetings],
    )
