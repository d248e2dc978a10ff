"""Opening a case (one open case per household episode) and announcing it: CaseOpened.

A step of two use cases (starting a case, and a consultation without one), run inside
their transaction."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from intake.domain.cases import OPEN_CASE_EXISTS
from intake.store import cases
from kasane.auth import Principal
from kasane.errors import Conflict
from kasane.events.intake import CaseOpened
from kasane.ids import uuid7
from kasane.web.events import EventWriter


async def open_case(
    conn: asyncpg.Connection,
    events: EventWriter,
    principal: Principal,
    *,
    household_id: UUID | None,
    primary_person_id: UUID | None,
    opened_on: date,
    school_district_code: str | None,
) -> UUID:
    """The caller's agency becomes the lead (主担当). 409 if the household has an open case."""
    if household_id is not None and await cases.open_case_of_household(conn, household_id):
        raise Conflict("household_id", OPEN_CASE_EXISTS)
    case_id = uuid7()
    try:
        await cases.insert_case(
            conn,
            case_id,
            household_id=household_id,
            primary_person_id=primary_person_id,
            lead_agency_id=principal.agency,
            opened_on=opened_on,
            school_district_code=school_district_code,
            created_by=principal.sub,
        )
    except asyncpg.UniqueViolationError:  # a concurrent request opened it first
        raise Conflict("household_id", OPEN_CASE_EXISTS) from None
    await events.emit(
        conn,
        CaseOpened(
            case_id=case_id,
            household_id=household_id,
            lead_agency_id=principal.agency,
            opened_on=opened_on,
            school_district_code=school_district_code,
        ),
        agency_id=principal.agency,
    )
    return case_id
