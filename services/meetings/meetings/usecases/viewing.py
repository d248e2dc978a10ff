"""What one agency may see of one meeting: loads the agenda and applies ``domain.access``.

``load_view`` (a step) is shared by ``read_meeting`` (``GET /meetings/{id}``) and
``meeting_pack``, so both show exactly the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from kasane.auth import Principal
from kasane.consent import Consent
from kasane.errors import Forbidden
from kasane.intake_view import store as intake_store
from meetings.domain.access import (
    item_hidden_reason,
    may_do_case_work,
    pack_denial,
    pack_recipient,
)
from meetings.domain.agenda import AgendaItem, consent_still_valid
from meetings.domain.meeting import Meeting, meeting_not_found
from meetings.domain.members import Member
from meetings.domain.minutes import Minutes, attendance_of, decision_out
from meetings.domain.pack import Pack, PackItem
from meetings.domain.profile import plan_goals, profile_out
from meetings.store import agenda as agenda_store
from meetings.store import decisions as decisions_store
from meetings.store import gaps as gaps_store
from meetings.store import meetings as meetings_store
from meetings.store import members as members_store
from meetings.store import plans as plans_store
from meetings.store import profiles as profiles_store
from meetings.store.decisions import DecisionRecord
from meetings.usecases.auditing import audit, refuse_audited


@dataclass(frozen=True)
class Entry:
    item: AgendaItem
    shown: PackItem  # hidden_reason set: the viewer sees the number and the reason only

    @property
    def visible(self) -> bool:
        return self.shown.hidden_reason is None


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    viewer_agency_id: str
    members: dict[str, Member]
    entries: list[Entry]

    @property
    def visible(self) -> list[AgendaItem]:
        """The items whose detail is shown (each such read is audited by the caller)."""
        return [e.item for e in self.entries if e.visible]

    def pack(self, today: date) -> Pack:
        return Pack(
            meeting=self.meeting,
            viewer_agency_id=self.viewer_agency_id,
            members=list(self.members.values()),
            items=[e.shown for e in self.entries],
            generated_on=today,
        )


async def load_view(
    conn: asyncpg.Connection, meeting: Meeting, agency: str, today: date
) -> MeetingView:
    members = await members_store.of_meeting(conn, meeting.id)
    member = members.get(agency)
    items = await agenda_store.of_meeting(conn, meeting.id)
    case_ids = sorted({i.case_id for i in items})
    consents = await intake_store.consents_of_cases(conn, case_ids)
    leads = await intake_store.lead_agencies(conn, case_ids)
    decisions = await decisions_store.of_meeting(conn, meeting.id)
    profiles = await profiles_store.for_cases(conn, case_ids)
    gaps = await gaps_store.by_agenda_item(conn, meeting.id)
    entries: list[Entry] = []
    for item in items:
        case_consents: list[Consent] = consents.get(item.case_id, [])
        hidden = item_hidden_reason(
            meeting, agency, member, item, case_consents, leads.get(item.case_id), today
        )
        if hidden is not None:
            shown = PackItem(position=item.position, kind=item.kind, hidden_reason=hidden)
        else:
            shown = PackItem(
                position=item.position,
                kind=item.kind,
                hidden_reason=None,
                case_id=item.case_id,
                legal_basis=item.legal_basis,
                presenting_agency_id=item.presenting_agency_id,
                lead_agency_id=leads.get(item.case_id),
                summary=item.summary,
                consent_valid=consent_still_valid(meeting, item, case_consents, today),
                plan=await _plan(conn, item),
                decision=decision_out(_decision(decisions.get(item.id)), gaps.get(item.id, [])),
                profile=profile_out(profiles.get(item.case_id)),
            )
        entries.append(Entry(item, shown))
    return MeetingView(meeting, agency, members, entries)


def _decision(record: DecisionRecord | None) -> dict[str, Any] | None:
    return record.as_dict() if record is not None else None


async def _plan(conn: asyncpg.Connection, item: AgendaItem) -> dict[str, Any] | None:
    if item.plan_id is None:
        return None
    plan = await plans_store.get(conn, item.plan_id)
    if plan is None:
        return None
    return {
        "plan_id": str(plan.id),
        "program": plan.program,
        "status": plan.status,
        "review_on": plan.review_on,
        "content": plan.content,
        "goals": plan_goals(plan),
    }


@dataclass(frozen=True)
class MeetingRead:
    view: MeetingView
    with_items: bool  # False for city roles: schedules and members only


async def read_meeting(
    pool: asyncpg.Pool, principal: Principal, meeting_id: UUID, today: date
) -> MeetingRead:
    """A meeting, its members and its items as the caller may see them; each item whose
    detail is shown is an audited read."""
    async with pool.acquire() as conn, conn.transaction():
        meeting = await _meeting(conn, meeting_id)
        view = await load_view(conn, meeting, principal.agency, today)
        with_items = may_do_case_work(principal)
        if with_items:
            await _audit_reads(conn, principal, view.visible, "会議の議題の閲覧 / meeting agenda")
    return MeetingRead(view, with_items)


async def meeting_pack(
    pool: asyncpg.Pool, principal: Principal, meeting_id: UUID, for_agency: str | None, today: date
) -> Pack:
    """The 会議資料 of one member (社協 may prepare any member's, for printing). A member
    that may not receive it is refused with the reason, and the refusal is audited."""
    view, _ = await _member_document(
        pool, principal, meeting_id, for_agency, today, "meeting_pack", _PACK_PURPOSE
    )
    return view.pack(today)


async def meeting_minutes(
    pool: asyncpg.Pool, principal: Principal, meeting_id: UUID, for_agency: str | None, today: date
) -> Minutes:
    """議事録 as one member receives it: the same items as its pack (hidden ones by number
    and reason only), each item's decision, and the attendance list. Same refusals (audited)."""
    view, recorded = await _member_document(
        pool, principal, meeting_id, for_agency, today, "meeting_minutes", _MINUTES_PURPOSE
    )
    return Minutes(
        meeting=view.meeting,
        viewer_agency_id=view.viewer_agency_id,
        attendance=attendance_of(list(view.members), recorded),
        items=[e.shown for e in view.entries],
        generated_on=today,
    )


async def _member_document(
    pool: asyncpg.Pool,
    principal: Principal,
    meeting_id: UUID,
    for_agency: str | None,
    today: date,
    record_type: str,
    purpose: str,
) -> tuple[MeetingView, dict[str, bool]]:
    """The view one member may have of a meeting (and the recorded attendance), every
    shown item an audited read; a member that may not have it: audited refusal."""
    agency = pack_recipient(principal.agency, for_agency)
    refused: Forbidden | None = None
    async with pool.acquire() as conn, conn.transaction():
        meeting = await _meeting(conn, meeting_id)
        view = await load_view(conn, meeting, agency, today)
        refused = pack_denial(meeting, agency, view.members.get(agency))
        if refused is None:
            suffix = f" (for {agency})" if agency != principal.agency else ""
            await _audit_reads(conn, principal, view.visible, purpose + suffix)
            return view, await meetings_store.attendance(conn, meeting.id)
    assert refused is not None
    await refuse_audited(
        pool,
        principal,
        refused,
        record_type=record_type,
        record_id=meeting_id,
        action="read",
        purpose=purpose,
    )


_MINUTES_PURPOSE = "議事録の閲覧 / meeting minutes"
_PACK_PURPOSE = "会議資料の閲覧 / meeting pack"


async def _meeting(conn: asyncpg.Connection, meeting_id: UUID) -> Meeting:
    meeting = await meetings_store.get(conn, meeting_id)
    if meeting is None:
        raise meeting_not_found()
    return meeting


async def _audit_reads(
    conn: asyncpg.Connection, principal: Principal, items: list[AgendaItem], purpose: str
) -> None:
    for item in items:
        await audit(
            conn,
            principal,
            record_type="agenda_item",
            record_id=item.id,
            action="read",
            purpose=purpose,
            legal_basis=item.legal_basis,
            subject_id=item.case_id,
        )
