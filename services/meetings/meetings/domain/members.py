"""参加機関, 社協's admission of them, and the annual 守秘義務 pledges.

Default participants (``kasane.reference.agencies``) are *invited* to every meeting; others
join for the cases they are needed for (その他、ケースに応じて必要だと思われる人), added by 社協.
A 支援会議 shares cases without consent (社会福祉法106条の6), so who takes part is 社協's
decision per meeting: a member sees agenda detail only once 社協 has admitted it to that
meeting *and* its confidentiality pledge for the meeting's fiscal year is on record (one
pledge per agency per year, recorded by 社協). An agency cannot enrol itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from kasane.errors import Conflict, Invalid, NotFound
from kasane.fiscal_year import fiscal_year_of
from kasane.reference.agencies import all_agencies, default_meeting_participants
from kasane.types import check_not_future, future_reason
from meetings.domain.codes import COORDINATOR_AGENCIES, COORDINATOR_AGENCY
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
    pledged_on: date | None = None  # the agency's pledge for the meeting's fiscal year
    admitted_on: date | None = None  # 社協's decision that it takes part in this meeting

    def sees_case(self, case_id: UUID) -> bool:
        return not self.case_ids or case_id in self.case_ids


def check_open_for_members(meeting: Meeting) -> None:
    """Members are added and admitted until the meeting is held."""
    if meeting.held:
        raise Conflict("meeting_id", "開催済みの会議です / the meeting was already held")


def check_admission(meeting: Meeting, members: dict[str, Member], agency_ids: list[str]) -> None:
    """社協 admits invited (or case) members of a meeting not yet held."""
    check_open_for_members(meeting)
    strangers = [a for a in agency_ids if a not in members]
    if strangers:
        raise NotFound(
            "agency_ids",
            f"この会議の参加機関（招待済み）ではありません / not invited to this meeting: "
            f"{', '.join(strangers)}",
        )


def pledge_year_problem(fiscal_year: int, pledged_on: date) -> str | None:
    """A pledge covers the fiscal year it is signed in, or the next (signed in advance)."""
    signed_in = fiscal_year_of(pledged_on)
    if fiscal_year not in (signed_in, signed_in + 1):
        return (
            f"誓約日は{fiscal_year}年度またはその前年度内 / pledged_on must fall in fiscal "
            f"year {fiscal_year} or the year before"
        )
    return None


def pledge_terms(pledged_on: date | None, fiscal_year: int | None, today: date) -> tuple[int, date]:
    """The (fiscal year, date) a pledge is recorded with: signed today unless dated, for the
    year it was signed in unless named; never in the future, never for a far year."""
    day = pledged_on or today
    check_not_future(day, "pledged_on", future_reason("誓約日", "pledged_on"), today)
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(day)
    problem = pledge_year_problem(year, day)
    if problem is not None:
        raise Invalid("fiscal_year", problem)
    return year, day


def already_pledged(fiscal_year: int, pledged_on: date) -> Conflict:
    """One pledge per agency per fiscal year: the refusal for a second one."""
    return Conflict(
        "agency_id",
        f"{fiscal_year}年度の誓約は記録済みです / the pledge for fiscal year {fiscal_year} was"
        f" already recorded on {pledged_on}",
    )


def attendees(given: list[str] | None, members: dict[str, Member], meeting_type: str) -> list[str]:
    """Who took part, for MeetingHeld: as given (members only), else every member — of a
    支援会議 only those admitted and pledged, and the operator."""
    if given is None:
        if meeting_type == "support_meeting":
            return sorted(
                a
                for a, m in members.items()
                if (m.pledged_on and m.admitted_on) or a in COORDINATOR_AGENCIES
            )
        return sorted(members)
    unknown = [a for a in given if a not in members]
    if unknown:
        raise Invalid(
            "attendee_agency_ids",
            f"参加機関ではありません / not members of this meeting: {', '.join(unknown)}",
        )
    return sorted(set(given))
