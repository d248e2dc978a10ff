"""The case list staff work from: my open cases with the persons' names (portal home).

``GET /cases`` without options lists ids and codes and writes no audit row. Asking for
names (or for the cases shared with my agency) goes through the access rule case by case
(``usecases.access.case_decision``): a case the caller may not see is left out, never
refused one by one. A page that shows names is one audit row (``action="list"``) listing
the persons shown (``usecases.listing_audit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from intake.domain.access import Decision
from intake.domain.models import Case
from intake.store import case_list, persons
from intake.usecases.access import case_decision
from intake.usecases.listing_audit import listing_entry
from intake.usecases.transaction import unit_of_work
from kasane.audit import record_access
from kasane.auth import Principal

RECORD_TYPE = "case_list"


@dataclass(frozen=True)
class Named:
    person_id: UUID
    name: str
    kana: str
    relationship: str | None  # 続柄 in the case's household; None: the case's person only


@dataclass(frozen=True)
class ListedCase:
    case: Case
    decision: Decision
    persons: list[Named]  # empty unless names were asked for


async def _persons_of(conn: asyncpg.Connection, case: Case) -> list[Named]:
    if case.household_id is not None:
        return [
            Named(m.id, m.name, m.kana, m.relationship)
            for m in await persons.members(conn, case.household_id)
        ]
    if case.primary_person_id is not None:
        person = await persons.get_person(conn, case.primary_person_id)
        return [Named(person.id, person.name, person.kana, None)] if person else []
    return []


async def list_cases(
    pool: asyncpg.Pool,
    principal: Principal,
    *,
    scope: str,
    status: str,
    names: bool,
    limit: int,
    offset: int,
    purpose: str,
) -> list[ListedCase]:
    """A page of ``scope`` (mine | shared) cases. A shared case whose grant has lapsed
    (an expired meeting decision, a withdrawn consent) is left out, so such a page may
    hold fewer than ``limit`` cases; the next page still starts at ``offset + limit``."""
    async with unit_of_work(pool) as conn:
        listed = []
        for case in await case_list.page(conn, principal.agency, scope, status, limit, offset):
            decision = await case_decision(conn, principal, case)
            if decision.allowed:
                named = await _persons_of(conn, case) if names else []
                listed.append(ListedCase(case, decision, named))
        if names:
            shown = [p.person_id for c in listed for p in c.persons]
            await record_access(
                conn,
                listing_entry(
                    principal, record_type=RECORD_TYPE, shown=shown, action="list", purpose=purpose
                ),
            )
        return listed
