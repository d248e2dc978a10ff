"""Persons (本人・世帯員): register, read, suggest duplicates, link the same person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from intake.domain.duplicates import Candidate, Match, probe_of, rank
from intake.domain.models import Person
from intake.domain.persons import PersonIn, check_link
from intake.store import persons
from intake.usecases.access import person_access, person_decision
from intake.usecases.transaction import record_created, unit_of_work
from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.ids import uuid7

DUPLICATE_LIMIT = 10  # suggestions shown; staff refine the keys rather than page


@dataclass(frozen=True)
class Suggestion:
    match: Match
    registered_by_agency: str


async def register_person(
    pool: asyncpg.Pool, principal: Principal, data: PersonIn, purpose: str
) -> UUID:
    person_id = uuid7()
    async with unit_of_work(pool) as conn:
        await persons.insert_person(conn, person_id, data, principal.agency, principal.sub)
        await record_created(
            conn,
            principal,
            record_type="person",
            record_id=person_id,
            subject_id=person_id,
            purpose=purpose,
        )
    return person_id


async def duplicate_suggestions(
    pool: asyncpg.Pool,
    principal: Principal,
    *,
    kana: str | None,
    birth_date: date | None,
    address: str | None,
    purpose: str,
) -> list[Suggestion]:
    """重複候補 among the persons the caller may already see; ids and reasons, no data.

    A match the caller may not see is not reported at all — not even as "a match exists
    elsewhere": that alone would tell any agency that someone with this ふりがな is known to
    the 重層的支援 system. It is audited as a denied ``duplicate_check`` on that person, so
    the person's 開示請求 log shows who searched (see docs/architecture/access-rules.md).
    """
    probe = probe_of(kana, birth_date, address)
    shown: list[Suggestion] = []
    async with unit_of_work(pool) as conn:
        rows = {
            r.id: r
            for r in await persons.duplicate_candidates(
                conn, probe.kana, probe.birth_date, probe.address
            )
        }
        candidates = [
            Candidate(r.id, r.kana_normalized, r.birth_date, r.address_normalized)
            for r in rows.values()
        ]
        # Rank everything first: hidden matches must not push visible ones off the list.
        for match in rank(probe, candidates, limit=len(candidates)):
            row = rows[match.person_id]
            decision = await person_decision(conn, principal, row)
            visible = decision.allowed and len(shown) < DUPLICATE_LIMIT
            if decision.allowed and not visible:
                continue  # beyond the list's length: not shown, so nothing to audit
            await record_access(
                conn,
                AccessEntry.by(
                    principal,
                    record_type="person",
                    record_id=str(match.person_id),
                    subject_id=str(match.person_id),
                    action="duplicate_check",
                    purpose=purpose,
                    outcome="allowed" if visible else "denied",
                    legal_basis=decision.basis if visible else None,
                ),
            )
            if visible:
                shown.append(Suggestion(match, row.registered_by_agency))
    return shown


async def read_person(
    pool: asyncpg.Pool, principal: Principal, person_id: UUID, purpose: str
) -> tuple[Person, list[UUID]]:
    """The person's record and the households they belong to."""
    async with unit_of_work(pool) as conn:
        row = await person_access(conn, principal, person_id, action="read", purpose=purpose)
        return row, await persons.households_of(conn, person_id)


async def link_person(
    pool: asyncpg.Pool, principal: Principal, person_id: UUID, linked_person_id: UUID, purpose: str
) -> bool:
    """Staff decided the two records are the same person: recorded, never merged.
    True if the link is new."""
    check_link(person_id, linked_person_id)
    async with unit_of_work(pool) as conn:
        await person_access(conn, principal, person_id, action="link", purpose=purpose)
        # Only a record the caller may see (a 重複候補 it was shown): 404 and audited otherwise.
        await person_access(
            conn,
            principal,
            linked_person_id,
            action="link",
            purpose=purpose,
            field="linked_person_id",
        )
        return await persons.link_persons(
            conn, person_id, linked_person_id, principal.sub, principal.agency
        )
