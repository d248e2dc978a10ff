"""相談受付: a consultation is recorded on a case, opening one when none is given."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from intake.domain.access import Level
from intake.domain.cases import ensure_open
from intake.domain.consultations import (
    ConsultationIn,
    consultation_received,
    ensure_concern_taken,
    ensure_consultation_agency,
    escalation,
    reclassified,
)
from intake.domain.persons import HouseholdProfile, MemberFacts, age_on, household_profile
from intake.store import cases, consultations, persons, queue
from intake.usecases.access import case_access, household_access, person_access
from intake.usecases.opening import open_case
from intake.usecases.transaction import record_created, unit_of_work
from kasane.auth import Principal
from kasane.clock import JST
from kasane.events.envelope import EventContract
from kasane.ids import uuid7
from kasane.web.events import EventWriter


@dataclass(frozen=True)
class ConsultationCreated:
    consultation_id: UUID
    case_id: UUID


async def create_consultation(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    data: ConsultationIn,
    purpose: str,
) -> ConsultationCreated:
    """One transaction: rows, audit entries and events commit together or not at all."""
    ensure_consultation_agency(principal.agency)
    consultation_id = uuid7()
    # Every event of the consultation (a new case's CaseOpened too) goes into the outbox
    # in one round trip at the end of the transaction: this runs for every consultation.
    async with unit_of_work(pool) as conn, events.collecting(conn) as outgoing:
        if data.person_id is not None:
            await person_access(conn, principal, data.person_id, action="link", purpose=purpose)
        case_id, existing_codes, household_id = await _case_for(
            conn, outgoing, principal, data, purpose
        )
        if data.concern_id is not None:
            ensure_concern_taken(
                await queue.take(conn, data.concern_id, principal.agency, consultation_id)
            )
        household = await _household(conn, household_id, data)
        event = consultation_received(consultation_id, principal.agency, data, case_id, household)
        await consultations.insert(
            conn,
            consultation_id,
            principal.agency,
            data,
            case_id=case_id,
            is_complex=event.is_complex,
            created_by=principal.sub,
        )
        await record_created(
            conn,
            principal,
            record_type="consultation",
            record_id=consultation_id,
            subject_id=case_id,
            purpose=purpose,
        )
        announced: list[EventContract] = [event]
        classified = reclassified(case_id, existing_codes, data)
        if classified is not None:
            await cases.set_classification(
                conn, case_id, classified.issue_codes, data.is_between_systems
            )
            announced.append(classified)
        escalated = escalation(case_id, principal.agency, data)
        if escalated is not None:
            announced.append(escalated)
        await outgoing.emit_all(conn, announced, agency_id=principal.agency)
    return ConsultationCreated(consultation_id, case_id)


async def _case_for(
    conn: asyncpg.Connection,
    events: EventWriter,
    principal: Principal,
    data: ConsultationIn,
    purpose: str,
) -> tuple[UUID, list[str], UUID | None]:
    """The open case the consultation goes on (locked), its issue codes so far and its
    household; a new case (the caller its lead) when none is named."""
    if data.case_id is not None:
        case, _ = await case_access(
            conn,
            principal,
            data.case_id,
            need=Level.CASE,
            action="update",
            purpose=purpose,
            lock=True,
        )
        ensure_open(case.status)
        return data.case_id, list(case.issue_codes), case.household_id
    if data.household_id is not None:
        await household_access(conn, principal, data.household_id, action="link", purpose=purpose)
    case_id = await open_case(
        conn,
        events,
        principal,
        household_id=data.household_id,
        primary_person_id=data.person_id,
        opened_on=data.received_at.astimezone(JST).date(),
        school_district_code=data.school_district_code,
    )
    return case_id, [], data.household_id


async def _household(
    conn: asyncpg.Connection, household_id: UUID | None, data: ConsultationIn
) -> HouseholdProfile | None:
    """世帯概要 for the event (flags and a band), as of the consultation day. The members
    are read inside intake only to derive codes; no member detail leaves this function."""
    if household_id is None:
        return None
    rows = await persons.members(conn, household_id)
    day = data.received_at.astimezone(JST).date()
    return household_profile(
        [
            MemberFacts(
                r.relationship, r.care_role, age_on(r.birth_date, day) if r.birth_date else None
            )
            for r in rows
        ]
    )
