"""参加機関 and their 守秘義務 pledges.

Default participants follow seed 第4 (``kasane.reference.agencies``); others join for the
cases they are needed for (その他、ケースに応じて必要だと思われる人). A 支援会議 member sees no
agenda detail before its confidentiality pledge (社会福祉法106条の6) is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from kasane.reference.agencies import all_agencies, default_meeting_participants
from kasane.web.errors import Refused
from meetings.domain.codes import COORDINATOR_AGENCY
from meetings.domain.meeting import Meeting


def default_member_ids() -> tuple[str, ...]:
    """Seed 第4 participants; the coordinator (社協) always attends as the operator."""
    ids = [a.id for a in default_meeting_participants()]
    return tuple(ids if COORDINATOR_AGENCY in ids else [COORDINATOR_AGENCY, *ids])


def member_order(agency_id: str) -> tuple[int, int, str]:
    """The operator first, then the reference table's order (seed 第4), unknown ids last."""
    order = {a.id: i for i, a in enumerate(all_agencies())}
    return (agency_id != COORDINATOR_AGENCY, order.get(agency_id, len(order)), agency_id)


@dataclass(frozen=True)
class Member:
    agency_id: str
    source: str  # default | case
    case_ids: frozenset[UUID] = field(default_factory=frozenset)  # empty: every item
    pledged_on: date | None = None

    def sees_case(self, case_id: UUID) -> bool:
        return not self.case_ids or case_id in self.case_ids


def check_pledge(meeting: Meeting, member: Member | None, agency_id: str) -> None:
    if meeting.meeting_type != "support_meeting":
        raise Refused(
            409,
            "meeting_id",
            "守秘義務の誓約は支援会議について記録します / pledges are recorded for 支援会議 only",
        )
    if member is None:
        raise Refused(
            404,
            "agency",
            f"{agency_id} はこの会議の参加機関ではありません / not a member of this meeting",
        )
    if member.pledged_on is not None:
        raise Refused(
            409, "agency", f"誓約は記録済みです / pledge already recorded on {member.pledged_on}"
        )
