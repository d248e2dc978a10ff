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
from intake.usecases.access import checked_case_access, household_access, person_access
from intake.usecases.opening import case_opened, ensure_no_open_case, household_race
from intake.usecases.transaction import created_entry, unit_of_work
from kasane.audit import AccessEntry, access_write
from kasane.auth import Principal
from kasane.clock import JST
from kasane.db.statement import Write, write_all
from kasane.events.envelope import EventContract
from kasane.events.intake import CaseClassified, CaseOpened
from kasane.ids import uuid7
from kasane.web.events import EventWriter


@dataclass(frozen=True)
class ConsultationCreated:
    consultation_id: UUID
    case_id: UUID


@dataclass(frozen=True)
class _Target:
    """The case a consultation goes on: its issue codes so far and household, and whether
    the consultation opens it."""

    case_id: UUID
    existing_codes: list[str]
    household_id: UUID | None
    new: bool
    # The allowed access to a named case, audited in the one statement with the change.
    access: AccessEntry | None = None


def _names_nothing(data: ConsultationIn) -> bool:
    """No case, household, person or concern named: nothing to check, read or lock."""
    return (
        data.case_id is None
        and data.household_id is None
        and data.person_id is None
        and data.concern_id is None
    )


async def create_consultation(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    data: ConsultationIn,
    purpose: str,
) -> ConsultationCreated:
    """One transaction: rows, audit entries and events commit together or not at all.

    The rows, the creator's audit row and the events are written by one statement
    (``kasane.db.statement``) after the checks; when the consultation names no record
    (a new case, the common 相談受付) there is nothing to check, and that one statement is
    the whole transaction: one round trip."""
    ensure_consultation_agency(principal.agency)
    consultation_id = uuid7()
    if _names_nothing(data):
        target = _Target(uuid7(), [], None, new=True)
        writes = _writes(events, principal, data, purpose, consultation_id, target, None)
        async with pool.acquire() as conn:
            await write_all(conn, writes)
        return ConsultationCreated(consultation_id, target.case_id)
    async with unit_of_work(pool) as conn:
        if data.person_id is not None:
            await person_access(conn, principal, data.person_id, action="link", purpose=purpose)
        target = await _case_for(conn, principal, data, purpose)
        if data.concern_id is not None:
            ensure_concern_taken(
                await queue.take(conn, data.concern_id, principal.agency, consultation_id)
            )
        household = await _household(conn, target.household_id, data)
        writes = _writes(events, principal, data, purpose, consultation_id, target, household)
        with household_race():
            await write_all(conn, writes)
    return ConsultationCreated(consultation_id, target.case_id)


def _writes(
    events: EventWriter,
    principal: Principal,
    data: ConsultationIn,
    purpose: str,
    consultation_id: UUID,
    target: _Target,
    household: HouseholdProfile | None,
) -> list[Write]:
    """Everything the consultation writes, in one statement: the case when it opens one
    (classified from the start), the consultation, the creator's audit row, the case's new
    classification, and the events (CaseOpened first, then in the order they happen)."""
    case_id = target.case_id
    received = consultation_received(consultation_id, principal.agency, data, case_id, household)
    classified = reclassified(case_id, target.existing_codes, data)
    escalated = escalation(case_id, principal.agency, data)
    writes: list[Write] = []
    announced: list[EventContract] = []
    if target.new:
        row, opened = _opening(principal, data, target, classified)
        writes.append(row)
        announced.append(opened)
    elif classified is not None:
        writes.append(
            cases.classification_row(case_id, classified.issue_codes, data.is_between_systems)
        )
    writes.append(
        consultations.consultation_row(
            consultation_id,
            principal.agency,
            data,
            case_id=case_id,
            is_complex=received.is_complex,
            created_by=principal.sub,
        )
    )
    if target.access is not None:
        writes.append(access_write(target.access))
    writes.append(
        access_write(
            created_entry(
                principal,
                record_type="consultation",
                record_id=consultation_id,
                subject_id=case_id,
                purpose=purpose,
            )
        )
    )
    announced.append(received)
    if classified is not None:
        announced.append(classified)
    if escalated is not None:
        announced.append(escalated)
    writes.append(events.outbox_write(announced, agency_id=principal.agency))
    return writes


def _opening(
    principal: Principal, data: ConsultationIn, target: _Target, classified: CaseClassified | None
) -> tuple[Write, CaseOpened]:
    """The new case's row, classified from the start, and its CaseOpened."""
    opened_on = data.received_at.astimezone(JST).date()
    row = cases.case_row(
        target.case_id,
        household_id=target.household_id,
        primary_person_id=data.person_id,
        lead_agency_id=principal.agency,
        opened_on=opened_on,
        school_district_code=data.school_district_code,
        created_by=principal.sub,
        issue_codes=classified.issue_codes if classified is not None else (),
        between_systems=data.is_between_systems,
    )
    opened = case_opened(
        principal,
        target.case_id,
        household_id=target.household_id,
        opened_on=opened_on,
        school_district_code=data.school_district_code,
    )
    return row, opened


async def _case_for(
    conn: asyncpg.Connection,
    principal: Principal,
    data: ConsultationIn,
    purpose: str,
) -> _Target:
    """The open case the consultation goes on (locked), or a new one (the caller its lead)
    when none is named."""
    if data.case_id is not None:
        case, _, entry = await checked_case_access(
            conn,
            principal,
            data.case_id,
            need=Level.CASE,
            action="update",
            purpose=purpose,
            lock=True,
        )
        ensure_open(case.status)
        return _Target(
            data.case_id, list(case.issue_codes), case.household_id, new=False, access=entry
        )
    if data.household_id is not None:
        await household_access(conn, principal, data.household_id, action="link", purpose=purpose)
        await ensure_no_open_case(conn, data.household_id)
    return _Target(uuid7(), [], data.household_id, new=True)


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
