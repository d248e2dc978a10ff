"""Opening a case (one open case per household episode) and announcing it: CaseOpened.

A step of two use cases (starting a case, and a consultation without one), run inside
their transaction: :func:`open_case` writes it at once; a consultation writes the case with
its own rows in one statement (:func:`case_opened` and ``cases.case_row``), guarded the same
way (:func:`ensure_no_open_case`, :func:`household_race`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from uuid import UUID

import asyncpg

from intake.domain.cases import OPEN_CASE_EXISTS
from intake.store import cases
from kasane.auth import Principal
from kasane.db.statement import write_all
from kasane.errors import Conflict
from kasane.events.intake import CaseOpened
from kasane.ids import uuid7
from kasane.web.events import EventWriter


def case_opened(
    principal: Principal,
    case_id: UUID,
    *,
    household_id: UUID | None,
    opened_on: date,
    school_district_code: str | None,
) -> CaseOpened:
    """The caller's agency becomes the lead (主担当)."""
    return CaseOpened(
        case_id=case_id,
        household_id=household_id,
        lead_agency_id=principal.agency,
        opened_on=opened_on,
        school_district_code=school_district_code,
    )


async def ensure_no_open_case(conn: asyncpg.Connection, household_id: UUID | None) -> None:
    """409 if the household has an open case."""
    if household_id is not None and await cases.open_case_of_household(conn, household_id):
        raise Conflict("household_id", OPEN_CASE_EXISTS)


@contextmanager
def household_race() -> Iterator[None]:
    """A concurrent request opened the household's case first: 409, as if it had been seen."""
    try:
        yield
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name != cases.ONE_OPEN_PER_HOUSEHOLD:
            raise
        raise Conflict("household_id", OPEN_CASE_EXISTS) from None


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
    await ensure_no_open_case(conn, household_id)
    case_id = uuid7()
    with household_race():
        case_row = cases.case_row(
            case_id,
            household_id=household_id,
            primary_person_id=primary_person_id,
            lead_agency_id=principal.agency,
            opened_on=opened_on,
            school_district_code=school_district_code,
            created_by=principal.sub,
        )
        await write_all(conn, [case_row])
    await events.emit(
        conn,
        case_opened(
            principal,
            case_id,
            household_id=household_id,
            opened_on=opened_on,
            school_district_code=school_district_code,
        ),
        agency_id=principal.agency,
    )
    return case_id
