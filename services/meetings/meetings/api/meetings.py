"""会議: list a fiscal year, add 臨時 meetings, read one, close one (held)."""

from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from kasane.errors import Invalid, NotFound
from kasane.events.meetings import MeetingHeld
from kasane.events.types import MeetingType
from kasane.fiscal_year import fiscal_year_of
from meetings import queueing
from meetings.api.deps import Coordinator, Events, Pool, Reader, Today
from meetings.api.schemas import MeetingOut
from meetings.auditing import audit
from meetings.deciding import locked_meeting
from meetings.domain.access import is_coordinator, may_do_case_work
from meetings.domain.calendar import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from meetings.domain.meeting import check_can_hold
from meetings.scheduling import schedule_ad_hoc
from meetings.store import agenda as agenda_store
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store
from meetings.viewing import Entry, load_view

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
    async with pool.acquire() as conn:
        found = await meetings_store.in_fiscal_year(conn, year)
        counts = await meetings_store.item_counts(conn, [m.id for m in found])
    return [MeetingOut.of(m, counts.get(m.id, 0)) for m in found]


class AdHocMeetingIn(BaseModel):
    """臨時開催: any day, either meeting type."""

    model_config = ConfigDict(extra="forbid")

    type: MeetingType
    date: Date


@router.post("/meetings", status_code=status.HTTP_201_CREATED)
async def add_ad_hoc_meeting(
    body: AdHocMeetingIn, principal: Coordinator, pool: Pool, events: Events, clock: Today
) -> MeetingOut:
    if not MIN_FISCAL_YEAR <= fiscal_year_of(body.date) <= MAX_FISCAL_YEAR:
        raise Invalid("date", "対象外の年度です / date out of the supported range")
    async with pool.acquire() as conn, conn.transaction():
        meeting = await schedule_ad_hoc(
            conn, events, body.type, body.date, principal.sub, principal.agency
        )
        if meeting.is_multilayer:
            await queueing.place_waiting(conn, clock.today())
        counts = await meetings_store.item_counts(conn, [meeting.id])
    return MeetingOut.of(meeting, counts.get(meeting.id, 0))


class MemberOut(BaseModel):
    agency_id: str
    source: str
    case_ids: list[str]
    pledged_on: Date | None  # the agency's pledge for the meeting's fiscal year
    admitted_on: Date | None = None  # 社協's decision that it takes part (支援会議)


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
    decision: dict[str, Any] | None = None


class MeetingDetailOut(MeetingOut):
    members: list[MemberOut]
    items: list[ItemOut] | None  # None for city roles (aggregates only)


@router.get("/meetings/{meeting_id}")
async def get_meeting(
    meeting_id: UUID, principal: Reader, pool: Pool, clock: Today
) -> MeetingDetailOut:
    async with pool.acquire() as conn, conn.transaction():
        meeting = await meetings_store.get(conn, meeting_id)
        if meeting is None:
            raise NotFound("meeting_id", "会議が見つかりません / meeting not found")
        view = await load_view(conn, meeting, principal.agency, clock.today())
        members = [
            MemberOut(
                agency_id=m.agency_id,
                source=m.source,
                case_ids=sorted(str(c) for c in m.case_ids),
                pledged_on=m.pledged_on,
                admitted_on=m.admitted_on,
            )
            for m in view.members.values()
        ]
        items: list[ItemOut] | None = None
        if may_do_case_work(principal):
            items = []
            for entry in view.entries:
                items.append(_item_out(entry))
                if entry.visible:
                    await audit(
                        conn,
                        principal,
                        record_type="agenda_item",
                        record_id=entry.item.id,
                        action="read",
                        purpose="会議の議題の閲覧 / meeting agenda",
                        legal_basis=entry.item.legal_basis,
                        subject_id=entry.item.case_id,
                    )
    base = MeetingOut.of(meeting, len(view.entries)).model_dump()
    return MeetingDetailOut(**base, members=members, items=items)


def _item_out(entry: Entry) -> ItemOut:
    item, shown = entry.item, entry.shown
    if not entry.visible:
        return ItemOut(
            position=item.position,
            kind=item.kind,
            visible=False,
            hidden_reason=shown.hidden_reason,
        )
    decision = shown.decision
    return ItemOut(
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
        decision=(
            {k: (str(v) if isinstance(v, UUID) else v) for k, v in decision.items()}
            if decision
            else None
        ),
    )


class HeldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: Date | None = None  # default: the meeting day
    attendee_agency_ids: list[str] | None = Field(default=None, max_length=60)


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
    today = clock.today()
    async with pool.acquire() as conn, conn.transaction():
        meeting = await locked_meeting(conn, meeting_id)
        held_on = body.held_on or meeting.meeting_date
        check_can_hold(meeting, held_on, today)
        members = await members_store.of_meeting(conn, meeting.id)
        attendees = _attendees(body.attendee_agency_ids, members, meeting.meeting_type)
        discussed = await agenda_store.decided_count(conn, meeting.id)
        await meetings_store.mark_held(conn, meeting.id, held_on)
        requeued = await queueing.place_waiting(conn, today) if meeting.is_multilayer else 0
        await events.emit(
            conn,
            MeetingHeld(
                meeting_id=meeting.id,
                meeting_type=meeting.meeting_type,
                held_on=held_on,
                participant_agency_ids=attendees,
                items_discussed=discussed,
            ),
            agency_id=principal.agency,
        )
    return HeldOut(
        meeting_id=str(meeting.id),
        held_on=held_on,
        items_discussed=discussed,
        plans_requeued=requeued,
    )


def _attendees(given: list[str] | None, members: dict[str, Any], meeting_type: str) -> list[str]:
    if given is None:
        if meeting_type == "support_meeting":
            return sorted(
                a
                for a, m in members.items()
                if (m.pledged_on and m.admitted_on) or is_coordinator(a)
            )
        return sorted(members)
    unknown = [a for a in given if a not in members]
    if unknown:
        raise Invalid(
            "attendee_agency_ids",
            f"参加機関ではありません / not members of this meeting: {', '.join(unknown)}",
        )
    return sorted(set(given))
