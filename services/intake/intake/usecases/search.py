"""Person search (POST /persons/search): persons the caller may see, one audit row.

Only persons the caller may open (the rule of GET /persons/{id}) are searched: a person
the caller may not see is not a refused attempt on that person, it is simply outside the
search, and is never reported (not even that a match exists). The search itself is one
audit row (``action="search"``) listing the ids shown; a caller whose role may not see
persons at all (city roles, auditors) is refused and that refusal is the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from intake.domain.access import CASE_WORK_ROLES
from intake.domain.duplicates import THRESHOLD, Candidate, Match, score
from intake.domain.search import Found, SearchIn, keys_of
from intake.store import cases, search
from intake.usecases.access import case_decision, person_decision
from intake.usecases.listing_audit import listing_entry
from intake.usecases.transaction import Denied, unit_of_work
from kasane.audit import record_access
from kasane.auth import Principal
from kasane.errors import Forbidden

RECORD_TYPE = "person_search"
# Rows read to fill one page: the SQL pre-filter is a superset of what the caller may see.
SCAN_FACTOR = 4


@dataclass(frozen=True)
class OpenCase:
    case_id: UUID
    lead_agency_id: str
    opened_on: date


@dataclass(frozen=True)
class Hit:
    person: Found
    duplicate: Match  # how strongly this person matches the criteria as the same person
    open_cases: list[OpenCase]

    @property
    def duplicate_candidate(self) -> bool:
        return self.duplicate.score >= THRESHOLD


async def _open_cases(
    conn: asyncpg.Connection, principal: Principal, person_id: UUID
) -> list[OpenCase]:
    """The person's open cases the caller may see (a case elsewhere stays unmentioned)."""
    shown = []
    for case in await cases.cases_of_person(conn, person_id):
        if case.status == "open" and (await case_decision(conn, principal, case)).allowed:
            shown.append(OpenCase(case.id, case.lead_agency_id, case.opened_on))
    return sorted(shown, key=lambda c: (c.opened_on, str(c.case_id)), reverse=True)


async def search_persons(
    pool: asyncpg.Pool, principal: Principal, criteria: SearchIn, purpose: str
) -> list[Hit]:
    async with unit_of_work(pool) as conn:
        if not principal.roles & CASE_WORK_ROLES:
            denial = listing_entry(
                principal,
                record_type=RECORD_TYPE,
                shown=[],
                action="search",
                purpose=purpose,
                outcome="denied",
            )
            raise Denied(
                denial,
                Forbidden("roles", "人物検索の権限がありません / this role may not search persons"),
            )
        keys = keys_of(criteria)
        probe = keys.probe()
        hits: list[Hit] = []
        for row in await search.search(conn, keys, principal.agency, criteria.limit * SCAN_FACTOR):
            if len(hits) == criteria.limit:
                break
            if not (await person_decision(conn, principal, row)).allowed:
                continue
            candidate = Candidate(
                row.id, row.kana_normalized, row.birth_date, row.address_normalized
            )
            hits.append(
                Hit(row, score(probe, candidate), await _open_cases(conn, principal, row.id))
            )
        await record_access(
            conn,
            listing_entry(
                principal,
                record_type=RECORD_TYPE,
                shown=[h.person.id for h in hits],
                action="search",
                purpose=purpose,
            ),
        )
        # Probable same-person matches first; otherwise in ふりがな order (stable sort).
        return sorted(hits, key=lambda h: -h.duplicate.score)
