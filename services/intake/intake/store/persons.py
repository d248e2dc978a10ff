"""SQL for persons, households and their members."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg

from intake.domain.models import DuplicateKeys, Household, Member, Person
from intake.domain.normalize import normalize_address
from intake.domain.persons import HouseholdIn, PersonIn
from intake.store.rows import maybe_row_to, rows_to
from kasane.kana import fold


async def insert_person(
    conn: asyncpg.Connection, person_id: UUID, data: PersonIn, agency_id: str, created_by: str
) -> None:
    await conn.execute(
        "INSERT INTO persons (id, name, kana, kana_normalized, birth_date, sex, address,"
        " address_normalized, phone, school_district_code, registered_by_agency, created_by,"
        " name_normalized) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
        person_id,
        data.name,
        data.kana,
        fold(data.kana),
        data.birth_date,
        data.sex,
        data.address,
        normalize_address(data.address) if data.address else None,
        data.phone,
        data.school_district_code,
        agency_id,
        created_by,
        fold(data.name),
    )


async def get_person(conn: asyncpg.Connection, person_id: UUID) -> Person | None:
    return maybe_row_to(
        Person, await conn.fetchrow("SELECT * FROM persons WHERE id = $1", person_id)
    )


async def duplicate_candidates(
    conn: asyncpg.Connection, kana: str | None, birth_date: date | None, address: str | None
) -> list[DuplicateKeys]:
    """Persons sharing at least one normalised key (the ranking happens in the domain)."""
    return rows_to(
        DuplicateKeys,
        await conn.fetch(
            "SELECT id, kana_normalized, birth_date, address_normalized, registered_by_agency"
            " FROM persons WHERE kana_normalized = $1 OR birth_date = $2"
            " OR left(address_normalized, 6) = left($3, 6) LIMIT 500",
            kana,
            birth_date,
            address,
        ),
    )


async def link_persons(
    conn: asyncpg.Connection, person_id: UUID, other_id: UUID, by: str, agency: str
) -> bool:
    status: str = await conn.execute(
        "INSERT INTO person_links (person_id, linked_person_id, linked_by, linked_agency)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        person_id,
        other_id,
        by,
        agency,
    )
    return status.endswith(" 1")


async def insert_household(
    conn: asyncpg.Connection, household_id: UUID, data: HouseholdIn, agency: str, by: str
) -> None:
    await conn.execute(
        "INSERT INTO households (id, registered_by_agency, created_by) VALUES ($1, $2, $3)",
        household_id,
        agency,
        by,
    )
    await conn.executemany(
        "INSERT INTO household_members (household_id, person_id, relationship, care_role)"
        " VALUES ($1, $2, $3, $4)",
        [(household_id, m.person_id, m.relationship, m.care_role) for m in data.members],
    )


async def get_household(conn: asyncpg.Connection, household_id: UUID) -> Household | None:
    return maybe_row_to(
        Household, await conn.fetchrow("SELECT * FROM households WHERE id = $1", household_id)
    )


async def members(conn: asyncpg.Connection, household_id: UUID) -> list[Member]:
    return rows_to(
        Member,
        await conn.fetch(
            "SELECT m.relationship, m.care_role, p.* FROM household_members m"
            " JOIN persons p ON p.id = m.person_id WHERE m.household_id = $1"
            " ORDER BY (m.relationship <> 'self'), p.birth_date NULLS LAST",
            household_id,
        ),
    )


async def households_of(conn: asyncpg.Connection, person_id: UUID) -> list[UUID]:
    rows = await conn.fetch(
        "SELECT household_id FROM household_members WHERE person_id = $1", person_id
    )
    return [r["household_id"] for r in rows]
