"""会議: list a fiscal year, add 臨時 meetings, read one, close one (held)."""

from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from kasane.events.types import MeetingType
from kasane.fiscal_year import fiscal_year_of
from kasane.types import Line
from meetings.api.deps import Coordinator, Events, Pool, Reader, Today
from meetings.api.schemas import MeetingOut, MemberOut
from meetings.domain.calendar import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from meetings.usecases import meetings, scheduling, viewing
from meetings.usecases.viewing import Entry

router = APIRouter(tags=["会議 meetings"])


@router.get("/meetings")
async def list_meetings(
    principal: Reader,
    pool: Pool,
    clock: Today,
    fiscal_year: Annotated[
        int | None, Query(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度 (既定: 今年度)")
    ] = None,
) -> list[MeetingOut]:
    """The fiscal year's meetings in date order (regular and 臨時). No case detail."""
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(clock.today())
    found = await meetings.list_meetings(pool, year)
    return [MeetingOut.of(m, found.item_counts.get(m.id, 0)) for m in found.meetings]


class AdHocMeetingIn(BaseModel):
    """臨時開催: any day, either meeting type."""

    model_config = ConfigDict(extra="forbid")

    type: MeetingType
    date: Date


@router.post("/meetings", status_code=status.HTTP_201_CREATED)
async def add_ad_hoc_meeting(
    body: AdHocMeetingIn, principal: Coordinator, pool: Pool, events: Events, clock: Today
) -> MeetingOut:
    done = await scheduling.add_ad_hoc_meeting(
        pool, events, principal, body.type, body.date, clock.today()
    )
    meeting = done.meetings[0]
    return MeetingOut.of(meeting, done.item_counts.get(meeting.id, 0))


class ItemOut(BaseModel):
    position: int
    kind: str
    visible: bool
    hidden_reason: str | None = None
    agenda_item_id: str | None = None
    case_id: str | None = None
    legal_basis: str | None = None
    consent_id: str | None = None
    consent_valid: bool | None = None
    plan_id: str | None = None
    presenting_agency_id: str | None = None
    summary: str | None = None
    lead_agency_id: str | None = None
    profile: dict[str, Any] | None = None  # 世帯概要: 年代, 校区 name, household, issue labels
    plan: dict[str, Any] | None = None  # program, status, review_on, content (goals, roles)
    decision: dict[str, Any] | None = None  # labelled: 終結/中断 and reason, roles, gaps

    @classmethod
    def of(cls, entry: Entry) -> ItemOut:
        item, shown = entry.item, entry.shown
        if not entry.visible:
            return cls(
                position=item.position,
                kind=item.kind,
                visible=False,
                hidden_reason=shown.hidden_reason,
            )
        decision = shown.decision
        return cls(
            position=item.position,
            kind=item.kind,
            visible=True,
            agenda_item_id=str(item.id),
            case_id=str(item.case_id),
            legal_basis=item.legal_basis,
            consent_id=str(item.consent_id) if item.consent_id else None,
            consent_valid=shown.consent_valid,
            plan_id=str(item.plan_id) if item.plan_id else None,
            presenting_agency_id=item.presenting_agency_id,
            summary=item.summary,
            lead_agency_id=shown.lead_agency_id,
            profile=shown.profile,
            plan=shown.plan,
            decision=decision,
        )


class MeetingDetailOut(MeetingOut):
    members: list[MemberOut]
    items: list[ItemOut] | None  # None for city roles (aggregates only)


@router.get("/meetings/{meeting_id}")
async def get_meeting(
    meeting_id: UUID, principal: Reader, pool: Pool, clock: Today
) -> MeetingDetailOut:
    read = await viewing.read_meeting(pool, principal, meeting_id, clock.today())
    view = read.view
    base = MeetingOut.of(view.meeting, len(view.entries)).model_dump()
    return MeetingDetailOut(
        **base,
        members=[MemberOut.of(m) for m in view.members.values()],
        items=[ItemOut.of(e) for e in view.entries] if read.with_items else None,
    )


class HeldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: Date | None = None  # default: the meeting day
    attendee_agency_ids: list[str] | None = Field(default=None, max_length=60)
    place: Line | None = Field(default=None, max_length=200)  # 開催場所 (for the minutes)


class HeldOut(BaseModel):
    meeting_id: str
    held_on: Date
    items_discussed: int
    plans_requeued: int


@router.post("/meetings/{meeting_id}/held")
async def meeting_held(
    meeting_id: UUID,
    principal: Coordinator,
    pool: Pool,
    events: Events,
    clock: Today,
    body: HeldIn | None = None,
) -> HeldOut:
    """開催記録: closes the minutes. Undecided plans move to the next 重層的支援会議."""
    body = body or HeldIn()
    held = await meetings.close_meeting(
        pool,
        events,
        principal,
        meeting_id,
        body.held_on,
        body.attendee_agency_ids,
        clock.today(),
        body.place,
    )
    return HeldOut(
        meeting_id=str(held.meeting_id),
        held_on=held.held_on,
        items_discussed=held.items_discussed,
        plans_requeued=held.plans_requeued,
    )


class PlaceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place: Line = Field(min_length=1, max_length=200)  # 開催場所


@router.put("/meetings/{meeting_id}/place")
async def set_place(
    meeting_id: UUID, body: PlaceIn, principal: Coordinator, pool: Pool
) -> MeetingOut:
    """開催場所 of a meeting not yet held (409 ``meeting_id`` once held)."""
    meeting = await meetings.set_place(pool, meeting_id, body.place)
    return MeetingOut.of(meeting)
