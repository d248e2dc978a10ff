"""Opening a case (one open case per household episode) and announcing it: CaseOpened."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from intake.store import cases
from kasane.auth import Principal
from kasane.events.intake import CaseOpened
from kasane.ids import uuid7
from kasane.web.errors import Refused
from kasane.web.events import EventWriter

OPEN_CASE_EXISTS = "この世帯には進行中のケースがあります / the household already has an open case"


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
        raise Refused(409, "household_id", OPEN_CASE_EXISTS)
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
        raise Refused(409, "household_id", OPEN_CASE_EXISTS) from None
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
