"""本人同意: record one on a case, withdraw it (sharing on it stops at once)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from intake.domain.access import Level
from intake.domain.cases import ensure_open
from intake.domain.consent import ConsentIn, check_withdrawal, ensure_member
from intake.domain.models import Case
from intake.store import consents, grants, persons
from intake.usecases.access import case_access, lead_only
from intake.usecases.transaction import not_found, unit_of_work
from kasane.audit import AccessEntry
from kasane.auth import Principal
from kasane.events.intake import ConsentRecorded, ConsentWithdrawn
from kasane.ids import uuid7
from kasane.web.events import EventWriter


async def _persons_of_case(conn: asyncpg.Connection, case: Case) -> set[UUID]:
    found = {case.primary_person_id} if case.primary_person_id else set()
    if case.household_id:
        found |= {m.id for m in await persons.members(conn, case.household_id)}
    return found


async def record_consent(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    case_id: UUID,
    data: ConsentIn,
    purpose: str,
) -> UUID:
    consent_id = uuid7()
    async with unit_of_work(pool) as conn:
        case, decision = await case_access(
            conn,
            principal,
            case_id,
            need=Level.WORK,
            action="create",
            purpose=purpose,
            record_type="consent",
            record_id=consent_id,
        )
        lead_only(
            principal,
            decision,
            record_type="consent",
            record_id=consent_id,
            subject_id=case_id,
            action="create",
            purpose=purpose,
            field="case_id",
            reason="同意の記録は主担当機関のみ / only the lead agency",
        )
        ensure_open(case.status)
        ensure_member(data.person_id, await _persons_of_case(conn, case))
        await consents.insert(conn, consent_id, case_id, data, principal.sub, principal.agency)
        await events.emit(
            conn,
            ConsentRecorded(
                consent_id=consent_id,
                case_id=case_id,
                person_id=data.person_id,
                scope_agencies=data.scope.agencies,
                scope_programs=data.scope.programs,
                scope_meeting_types=data.scope.meeting_types,
                method=data.method,
                consented_on=data.consented_on,
                expires_on=data.expires_on,
            ),
            agency_id=principal.agency,
        )
    return consent_id


async def withdraw_consent(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    consent_id: UUID,
    withdrawn_on: date,
    purpose: str,
) -> None:
    async with unit_of_work(pool) as conn:
        row = await consents.get(conn, consent_id)
        if row is None:
            raise not_found(
                AccessEntry.by(
                    principal,
                    record_type="consent",
                    record_id=str(consent_id),
                    subject_id=str(consent_id),
                    action="withdraw",
                    purpose=purpose,
                    outcome="denied",
                ),
                "consent_id",
            )
        _, decision = await case_access(
            conn,
            principal,
            row.case_id,
            need=Level.WORK,
            action="withdraw",
            purpose=purpose,
            record_type="consent",
            record_id=consent_id,
            field="consent_id",
        )
        lead_only(
            principal,
            decision,
            record_type="consent",
            record_id=consent_id,
            subject_id=row.case_id,
            action="withdraw",
            purpose=purpose,
            field="consent_id",
            reason="撤回の記録は主担当機関のみ / only the lead agency",
        )
        check_withdrawal(row.withdrawn_on, row.consented_on, withdrawn_on)
        await consents.withdraw(conn, consent_id, withdrawn_on)
        await grants.revoke_for_consent(conn, consent_id)
        await events.emit(
            conn,
            ConsentWithdrawn(consent_id=consent_id, case_id=row.case_id, withdrawn_on=withdrawn_on),
            agency_id=principal.agency,
        )
