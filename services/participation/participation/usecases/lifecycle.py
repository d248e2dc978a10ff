"""State changes shared by the API's use cases and the event handlers: each writes its rows
and publishes its events through the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.events.participation import ParticipationEnded, ParticipationStarted, PlacementEnded
from kasane.web.events import EventWriter
from participation.domain.participants import Status
from participation.store import participants as store
from participation.store import placements as placements_store
from participation.store.participants import Participant
from participation.store.placements import Placement


@dataclass(frozen=True)
class Trace:
    """Who acts, and which event caused it (None for API calls)."""

    agency_id: str | None
    correlation_id: UUID | None = None
    causation_id: UUID | None = None


async def enrol(
    conn: asyncpg.Connection, writer: EventWriter, trace: Trace, participant: Participant
) -> None:
    await store.insert_participant(conn, participant)
    await writer.emit(
        conn,
        ParticipationStarted(
            participant_id=participant.participant_id,
            case_id=participant.case_id,
            referral_id=participant.referral_id,
            meeting_decision_id=participant.meeting_decision_id,
            started_on=participant.started_on,
        ),
        agency_id=trace.agency_id,
        correlation_id=trace.correlation_id,
        causation_id=trace.causation_id,
    )


async def end_placement(
    conn: asyncpg.Connection,
    writer: EventWriter,
    trace: Trace,
    placement: Placement,
    case_id: UUID,
    ended_on: date,
    outcome: str,
) -> None:
    await placements_store.end_placement(conn, placement.placement_id, ended_on, outcome)
    await writer.emit(
        conn,
        PlacementEnded(
            placement_id=placement.placement_id,
            participant_id=placement.participant_id,
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
    participant: Participant,
    *,
    status: Status,
    ended_on: date,
    outcome: str,
) -> None:
    """End the participation; any placement still open ends with the same outcome."""
    pid, case_id = participant.participant_id, participant.case_id
    for placement in await placements_store.placements_of(conn, pid, only_active=True):
        await end_placement(conn, writer, trace, placement, case_id, ended_on, outcome)
    await store.end_participant(conn, pid, status, ended_on, outcome)
    await writer.emit(
        conn,
        ParticipationEnded(
            participant_id=pid, case_id=case_id, ended_on=ended_on, outcome_code=outcome
        ),
        agency_id=trace.agency_id,
        correlation_id=trace.correlation_id,
        causation_id=trace.causation_id,
    )
