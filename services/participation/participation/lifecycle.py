"""State changes shared by the API and the event handlers: each writes its rows and
publishes its events through the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.events.participation import ParticipationEnded, ParticipationStarted, PlacementEnded
from kasane.web.events import EventWriter
from participation import participants_store as store


@dataclass(frozen=True)
class Trace:
    """Who acts, and which event caused it (None for API calls)."""

    agency_id: str | None
    correlation_id: UUID | None = None
    causation_id: UUID | None = None


async def enrol(
    conn: asyncpg.Connection,
    writer: EventWriter,
    trace: Trace,
    *,
    participant_id: UUID,
    case_id: UUID,
    started_on: date,
    legal_basis: str,
    referral_id: UUID | None = None,
    referring_agency_id: str | None = None,
    meeting_decision_id: UUID | None = None,
    age_band: str | None = None,
    school_district_code: str | None = None,
    created_by: str | None = None,
) -> None:
    await store.insert_participant(
        conn,
        {
            "participant_id": participant_id,
            "case_id": case_id,
            "referral_id": referral_id,
            "meeting_decision_id": meeting_decision_id,
            "legal_basis": legal_basis,
            "referring_agency_id": referring_agency_id,
            "status": "enrolled",
            "age_band": age_band,
            "school_district_code": school_district_code,
            "started_on": started_on,
            "created_by": created_by,
        },
    )
    await writer.emit(
        conn,
        ParticipationStarted(
            participant_id=participant_id,
            case_id=case_id,
            referral_id=referral_id,
            meeting_decision_id=meeting_decision_id,
            started_on=started_on,
        ),
        agency_id=trace.agency_id,
        correlation_id=trace.correlation_id,
        causation_id=trace.causation_id,
    )


async def end_placement(
    conn: asyncpg.Connection,
    writer: EventWriter,
    trace: Trace,
    placement: asyncpg.Record,
    case_id: UUID,
    ended_on: date,
    outcome: str,
) -> None:
    await store.end_placement(conn, placement["placement_id"], ended_on, outcome)
    await writer.emit(
        conn,
        PlacementEnded(
            placement_id=placement["placement_id"],
            participant_id=placement["participant_id"],
            case_id=case_id,
            ended_on=ended_on,
            outcome_code=outcome,
        ),
        agency_id=trace.agency_id,
        correlation_id=trace.correlation_id,
        causation_id=trace.causation_id,
    )


async def end(
    conn: asyncpg.Connection,
    writer: EventWriter,
    trace: Trace,
    participant: asyncpg.Record,
    *,
    status: str,
    ended_on: date,
    outcome: str,
) -> None:
    """End the participation; any placement still open ends with the same outcome."""
    case_id = participant["case_id"]
    for placement in await store.placements_of(
        conn, participant["participant_id"], only_active=True
    ):
        await end_placement(conn, writer, trace, placement, case_id, ended_on, outcome)
    await store.end_participant(conn, participant["participant_id"], status, ended_on, outcome)
    await writer.emit(
        conn,
        ParticipationEnded(
            participant_id=participant["participant_id"],
            case_id=case_id,
            ended_on=ended_on,
            outcome_code=outcome,
        ),
        agency_id=trace.agency_id,
        correlation_id=trace.correlation_id,
        causation_id=trace.causation_id,
    )
