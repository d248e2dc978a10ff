"""SQL of the fact tables (the rebuildable read model)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from indicators.domain.facts import COLUMNS, Consultation, Fact
from indicators.domain.fiscal_years import fiscal_year_of_instant
from kasane.events.envelope import Envelope
from kasane.events.intake import ConsultationReceived

# Tables a rebuild empties: everything derived from events, nothing the city entered.
READ_MODEL_TABLES: tuple[str, ...] = ("consultation_facts", "facts")

# Plans live across years: a year's stock (active at year end) needs earlier approvals.
_CROSS_YEAR_TYPES = ["meetings.PlanApproved", "meetings.PlanEnded"]

_FACT_FIELDS = [c for c in COLUMNS if c != "fiscal_year"]


async def insert_consultation(
    conn: asyncpg.Connection, envelope: Envelope, event: ConsultationReceived
) -> None:
    await conn.execute(
        "INSERT INTO consultation_facts (event_id, consultation_id, agency_id, received_at,"
        " fiscal_year, is_complex, issue_codes, between_systems, channel, case_id, age_band,"
        " school_district_code, consulted_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        envelope.event_id,
        event.consultation_id,
        event.agency_id,
        event.received_at,
        fiscal_year_of_instant(event.received_at),
        event.is_complex,
        list(event.issue_codes),
        event.between_systems,
        event.channel,
        event.case_id,
        event.age_band,
        event.school_district_code,
        event.consulted_by,
    )


_INSERT_FACT = (
    f"INSERT INTO facts ({', '.join(COLUMNS)})"
    f" VALUES ({', '.join(f'${i}' for i in range(1, len(COLUMNS) + 1))})"
)


async def insert(conn: asyncpg.Connection, fact: Fact) -> None:
    row = fact.row()
    await conn.execute(_INSERT_FACT, *(row[c] for c in COLUMNS))


async def facts_for_year(conn: asyncpg.Connection, fiscal_year: int) -> list[Fact]:
    """The year's facts, plus the later events of the same subjects (a referral accepted
    next April, an outreach target's later stages) and every plan approval and end."""
    rows = await conn.fetch(
        f"SELECT {', '.join(_FACT_FIELDS)} FROM facts WHERE fiscal_year = $1"
        " OR subject_id IN (SELECT subject_id FROM facts WHERE fiscal_year = $1)"
        " OR event_type = ANY($2::text[]) ORDER BY occurred_at, event_id",
        fiscal_year,
        _CROSS_YEAR_TYPES,
    )
    return [_fact(r) for r in rows]


def _fact(r: asyncpg.Record) -> Fact:
    values = dict(r)
    values["codes"] = tuple(values["codes"] or ())
    return Fact(**values)


_CONSULTATION_FIELDS = (
    "event_id, agency_id, received_at, is_complex, between_systems, issue_codes, channel,"
    " case_id, age_band, school_district_code, consulted_by"
)


async def consultations_for_year(conn: asyncpg.Connection, fiscal_year: int) -> list[Consultation]:
    rows = await conn.fetch(
        f"SELECT {_CONSULTATION_FIELDS} FROM consultation_facts WHERE fiscal_year = $1"
        " ORDER BY received_at, event_id",
        fiscal_year,
    )
    return [_consultation(r) for r in rows]


async def earlier_consulted(conn: asyncpg.Connection, fiscal_year: int) -> set[tuple[str, UUID]]:
    """(agency, case) pairs of the year's consultations that the agency had already received
    a consultation for before the year: those cases are not 新規 there."""
    rows = await conn.fetch(
        "SELECT DISTINCT agency_id, case_id FROM consultation_facts WHERE fiscal_year < $1"
        " AND case_id IS NOT NULL AND (agency_id, case_id) IN (SELECT agency_id, case_id"
        " FROM consultation_facts WHERE fiscal_year = $1 AND case_id IS NOT NULL)",
        fiscal_year,
    )
    return {(r["agency_id"], r["case_id"]) for r in rows}


def _consultation(r: asyncpg.Record) -> Consultation:
    values = dict(r)
    values["issue_codes"] = tuple(values["issue_codes"])
    return Consultation(**values)
