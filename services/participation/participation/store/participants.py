"""SQL for participants (参加者)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from uuid import UUID

import asyncpg

from participation.domain.participants import Access, Status, operators
from participation.store._sql import insert_sql


@dataclass(frozen=True)
class Participant:
    participant_id: UUID
    case_id: UUID
    referral_id: UUID | None
    meeting_decision_id: UUID | None
    legal_basis: str
    referring_agency_id: str | None
    status: Status
    age_band: str | None
    school_district_code: str | None
    started_on: date
    ended_on: date | None = None
    outcome_code: str | None = None
    created_by: str | None = None

    @property
    def access(self) -> Access:
        return Access(status=self.status, referring_agency_id=self.referring_agency_id)


@dataclass(frozen=True)
class ParticipantSummary:
    """A line of the list: no profile, no content."""

    participant_id: UUID
    case_id: UUID
    referral_id: UUID | None
    status: Status
    started_on: date
    ended_on: date | None
    referring_agency_id: str | None
    legal_basis: str

    @property
    def access(self) -> Access:
        return Access(status=self.status, referring_agency_id=self.referring_agency_id)


def _participant(row: asyncpg.Record | None) -> Participant | None:
    return None if row is None else Participant(**dict(row))


async def insert_participant(conn: asyncpg.Connection, participant: Participant) -> None:
    row = asdict(participant)
    await conn.execute(insert_sql("participants", row), *row.values())


async def get_participant(
    conn: asyncpg.Connection, participant_id: UUID, *, for_update: bool = False
) -> Participant | None:
    lock = " FOR UPDATE" if for_update else ""
    return _participant(
        await conn.fetchrow(
            f"SELECT * FROM participants WHERE participant_id = $1{lock}", participant_id
        )
    )


async def participant_of_referral(
    conn: asyncpg.Connection, referral_id: UUID
) -> Participant | None:
    return _participant(
        await conn.fetchrow(
            "SELECT * FROM participants WHERE referral_id = $1 FOR UPDATE", referral_id
        )
    )


async def visible_participants(
    conn: asyncpg.Connection, agency: str, status: str | None
) -> list[ParticipantSummary]:
    """アソウ sees all, a referring agency its own; revoked ones are closed to everyone."""
    rows = await conn.fetch(
        "SELECT participant_id, case_id, referral_id, status, started_on, ended_on,"
        " referring_agency_id, legal_basis FROM participants"
        " WHERE status <> 'revoked' AND ($1::text = ANY($3::text[]) OR referring_agency_id = $1)"
        " AND ($2::text IS NULL OR status = $2) ORDER BY started_on DESC LIMIT 500",
        agency,
        status,
        sorted(operators()),
    )
    return [ParticipantSummary(**dict(r)) for r in rows]


async def set_status(conn: asyncpg.Connection, participant_id: UUID, status: Status) -> None:
    await conn.execute(
        "UPDATE participants SET status = $2 WHERE participant_id = $1", participant_id, status
    )


async def advance(
    conn: asyncpg.Connection, participant_id: UUID, from_status: Status, to_status: Status
) -> None:
    await conn.execute(
        "UPDATE participants SET status = $3 WHERE participant_id = $1 AND status = $2",
        participant_id,
        from_status,
        to_status,
    )


async def update_profile(
    conn: asyncpg.Connection, participant_id: UUID, age_band: str | None, district: str | None
) -> None:
    await conn.execute(
        "UPDATE participants SET age_band = COALESCE($2, age_band),"
        " school_district_code = COALESCE($3, school_district_code) WHERE participant_id = $1",
        participant_id,
        age_band,
        district,
    )


async def end_participant(
    conn: asyncpg.Connection, participant_id: UUID, status: Status, ended_on: date, outcome: str
) -> None:
    await conn.execute(
        "UPDATE participants SET status = $2, ended_on = $3, outcome_code = $4"
        " WHERE participant_id = $1",
        participant_id,
        status,
        ended_on,
        outcome,
    )
