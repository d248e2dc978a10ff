"""What one agency may see of one meeting: loads the agenda and applies ``domain.access``.

Shared by ``GET /meetings/{id}`` and the meeting pack, so both show exactly the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from kasane.consent import Consent
from meetings.domain.access import item_hidden_reason
from meetings.domain.agenda import AgendaItem, consent_still_valid
from meetings.domain.meeting import Meeting
from meetings.domain.members import Member
from meetings.pack import Pack, PackItem
from meetings.store import agenda as agenda_store
from meetings.store import cases as cases_store
from meetings.store import consents as consents_store
from meetings.store import decisions as decisions_store
from meetings.store import members as members_store
from meetings.store import plans as plans_store


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
    consents = await consents_store.for_cases(conn, case_ids)
    leads = await cases_store.lead_agencies(conn, case_ids)
    decisions = await decisions_store.of_meeting(conn, meeting.id)
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
                decision=decisions.get(item.id),
            )
        entries.append(Entry(item, shown))
    return MeetingView(meeting, agency, members, entries)


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
    }
