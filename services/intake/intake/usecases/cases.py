"""Cases: start one, list the caller's, read one (with what the caller may see), close,
reopen (ケース再開)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from intake.domain.access import Decision, Level
from intake.domain.cases import (
    OPEN_CASE_EXISTS,
    CaseCloseIn,
    CaseIn,
    CaseReopenIn,
    check_close,
    check_reopen,
)
from intake.domain.models import (
    Case,
    CaseSummary,
    ConsentRecord,
    Consultation,
    Member,
    Reopening,
)
from intake.store import cases, consents, consultations, grants, persons
from intake.usecases.access import case_access, household_access, lead_only, person_access
from intake.usecases.opening import open_case
from intake.usecases.transaction import record_created, unit_of_work
from kasane.auth import Principal
from kasane.clock import system_clock
from kasane.errors import Conflict
from kasane.events.intake import CaseClosed, CaseReopened
from kasane.ids import uuid7
from kasane.web.events import EventWriter


@dataclass(frozen=True)
class CaseView:
    """A case as the caller may see it: its household, consultations and consents."""

    case: Case
    decision: Decision
    members: list[Member]
    consultations: list[Consultation]
    consents: list[ConsentRecord]
    reopenings: list[Reopening]


async def start_case(
    pool: asyncpg.Pool, events: EventWriter, principal: Principal, data: CaseIn, purpose: str
) -> UUID:
    async with unit_of_work(pool) as conn:
        if data.household_id is not None:
            await household_access(
                conn, principal, data.household_id, action="link", purpose=purpose
            )
        if data.primary_person_id is not None:
            await person_access(
                conn,
                principal,
                data.primary_person_id,
                action="link",
                purpose=purpose,
                field="primary_person_id",
            )
        case_id = await open_case(
            conn,
            events,
            principal,
            household_id=data.household_id,
            primary_person_id=data.primary_person_id,
            opened_on=data.opened_on or system_clock().today(),
            school_district_code=data.school_district_code,
        )
        await record_created(
            conn,
            principal,
            record_type="case",
            record_id=case_id,
            subject_id=case_id,
            purpose=purpose,
        )
    return case_id


async def my_cases(
    pool: asyncpg.Pool, principal: Principal, status: str, limit: int, offset: int
) -> list[CaseSummary]:
    """Cases my agency leads (主担当). Ids and codes only: no personal data, no audit row."""
    async with pool.acquire() as conn:
        return await cases.led_by(conn, principal.agency, status, limit, offset)


async def read_case(
    pool: asyncpg.Pool, principal: Principal, case_id: UUID, purpose: str
) -> CaseView:
    async with unit_of_work(pool) as conn:
        case, decision = await case_access(
            conn, principal, case_id, need=Level.CASE, action="read", purpose=purpose
        )
        members = await persons.members(conn, case.household_id) if case.household_id else []
        return CaseView(
            case,
            decision,
            members,
            await consultations.for_case(conn, case_id),
            await consents.for_case(conn, case_id),
            await cases.reopenings(conn, case_id),
        )


async def close_case(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    case_id: UUID,
    data: CaseCloseIn,
    purpose: str,
) -> None:
    async with unit_of_work(pool) as conn:
        case, decision = await case_access(
            conn, principal, case_id, need=Level.WORK, action="close", purpose=purpose, lock=True
        )
        lead_only(
            principal,
            decision,
            record_type="case",
            record_id=case_id,
            subject_id=case_id,
            action="close",
            purpose=purpose,
            field="case_id",
            reason="終結は主担当機関のみ / only the lead agency may close",
        )
        check_close(case.status, case.opened_on, data.closed_on, case.reopened_on)
        await cases.close_case(conn, case_id, data)
        # Meetings' sharing of the case ends at closure (referral and plan access end
        # through their own events).
        await grants.end_meeting_grants(conn, case_id, system_clock().now(), "case_closed")
        await events.emit(
            conn,
            CaseClosed(case_id=case_id, closed_on=data.closed_on, reason_code=data.reason),
            agency_id=principal.agency,
        )


async def reopen_case(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    case_id: UUID,
    data: CaseReopenIn,
    purpose: str,
) -> None:
    """ケース再開: the lead agency opens its closed case again, so the 支援経過記録 goes on
    in the same case. Grants ended at the closure stay ended (a new meeting or referral
    grants again)."""
    async with unit_of_work(pool) as conn:
        case, decision = await case_access(
            conn, principal, case_id, need=Level.WORK, action="reopen", purpose=purpose, lock=True
        )
        lead_only(
            principal,
            decision,
            record_type="case",
            record_id=case_id,
            subject_id=case_id,
            action="reopen",
            purpose=purpose,
            field="case_id",
            reason="再開は主担当機関のみ / only the lead agency may reopen",
        )
        check_reopen(case.status, case.closed_on, data.reopened_on)
        # One open case per household episode: a case opened since the closure holds it.
        if case.household_id is not None and await cases.open_case_of_household(
            conn, case.household_id
        ):
            raise Conflict("household_id", OPEN_CASE_EXISTS)
        try:
            await cases.reopen_case(conn, uuid7(), case, data, principal.sub, principal.agency)
        except asyncpg.UniqueViolationError:  # a concurrent request opened one first
            raise Conflict("household_id", OPEN_CASE_EXISTS) from None
        await events.emit(
            conn,
            CaseReopened(
                case_id=case_id,
                household_id=case.household_id,
                lead_agency_id=case.lead_agency_id,
                reopened_on=data.reopened_on,
                reason_code=data.reason,
            ),
            agency_id=principal.agency,
        )
