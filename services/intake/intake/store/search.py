"""SQL for person search (the criteria are folded by ``domain.search``)."""

from __future__ import annotations

import asyncpg

from intake.domain.search import Found, Keys
from intake.store.rows import rows_to

# Persons the agency might see: registered by it, or in a case it leads or holds a grant
# for. A superset, to keep the scan short: ``usecases.access.person_decision`` (the rule of
# GET /persons/{id}) decides each row, e.g. an expired meeting grant or an ended consent.
_MAYBE_VISIBLE = (
    "(p.registered_by_agency = $5 OR EXISTS (SELECT 1 FROM cases c"
    " WHERE (c.primary_person_id = p.id OR c.household_id IN"
    " (SELECT m.household_id FROM household_members m WHERE m.person_id = p.id))"
    " AND (c.lead_agency_id = $5 OR EXISTS (SELECT 1 FROM access_grants g"
    " WHERE g.case_id = c.id AND g.agency_id = $5 AND g.revoked_at IS NULL))))"
)


async def search(conn: asyncpg.Connection, keys: Keys, agency_id: str, scan: int) -> list[Found]:
    """Up to ``scan`` persons matching every given key, in ふりがな order. strpos, not LIKE:
    the folded text is matched literally, so % and _ in the input are plain characters."""
    return rows_to(
        Found,
        await conn.fetch(
            "SELECT p.* FROM persons p"
            " WHERE ($1::text IS NULL OR strpos(p.name_normalized, $1) > 0"
            " OR strpos(p.kana_normalized, $1) > 0)"
            " AND ($2::text IS NULL OR strpos(p.kana_normalized, $2) > 0)"
            " AND ($3::date IS NULL OR p.birth_date = $3)"
            " AND ($4::text IS NULL OR strpos(p.address_normalized, $4) > 0)"
            f" AND {_MAYBE_VISIBLE}"
            " ORDER BY p.kana_normalized, p.id LIMIT $6",
            keys.name,
            keys.kana,
            keys.birth_date,
            keys.address,
            agency_id,
            scan,
        ),
    )
