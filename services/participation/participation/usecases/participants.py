"""Use cases on a participant: enrol, list, read, profile, steps, end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from kasane.audit import record_access
from kasane.auth import Principal
from kasane.ids import uuid7
from kasane.types import check_not_future
from kasane.web.events import EventWriter
from participation.domain import participants as rules
from participation.domain.participants import EndIn, EnrolIn, ProfileFields, StepIn
from participation.store import grants as grants_store
from participation.store import participants as store
from participation.store import placements as placements_store
from participation.store import plans as plans_store
from participation.store.participants import Participant, ParticipantSummary
from participation.store.placements import Placement, Step
from participation.store.plans import Plan
from participation.usecases import lifecycle
from participation.usecases.access import audit, entry, guard, in_transaction


@dataclass(frozen=True)
class ParticipantFile:
    """Everything about one participant that staff read together."""

    participant: Participant
    current_stage: str | None
    plans: list[Plan]
    placements: list[Placement]
    steps: list[Step]


async def _file(conn: asyncpg.Connection, participant: Participant) -> ParticipantFile:
    pid = participant.participant_id
    steps = await placements_store.steps_of(conn, pid)
    return ParticipantFile(
        participant=participant,
        current_stage=rules.current_stage([s.stage for s in steps]),
        plans=await plans_store.plans_of(conn, pid),
        placements=await placements_store.placements_of(conn, pid),
        steps=steps,
    )


async def _new_participant(
    conn: asyncpg.Connection, participant_id: UUID, body: EnrolIn, by: str, today: date
) -> Participant:
    """The participant to enrol: on an accepted referral's basis, or a meeting decision's."""
    made_on: date | None = None  # the referral's day: the earliest the enrolment may be
    if body.referral_id is None:
        assert body.case_id is not None  # EnrolIn requires it with a meeting decision
        case_id, legal_basis, referring_agency = body.case_id, "support_meeting", None
    else:
        grant = await grants_store.get_grant(conn, body.referral_id)
        rules.check_referral_accepted(None if grant is None else grant.status)
        assert grant is not None
        already = await store.participant_of_referral(conn, body.referral_id)
        rules.check_not_enrolled(already is not None)
        case_id, legal_basis, referring_agency = (
            grant.case_id,
            grant.legal_basis,
            grant.from_agency_id,
        )
        made_on = grant.requested_on
    started_on = rules.enrolment_day(body.started_on, today, made_on)
    return Participant(
        participant_id=participant_id,
        case_id=case_id,
        referral_id=body.referral_id,
        meeting_decision_id=body.meeting_decision_id,
        legal_basis=legal_basis,
        referring_agency_id=referring_agency,
        status="enrolled",
        age_band=body.age_band,
        school_district_code=body.school_district_code,
        started_on=started_on,
        created_by=by,
    )


async def enrol(
    pool: asyncpg.Pool, writer: EventWriter, principal: Principal, body: EnrolIn, today: date
) -> UUID:
    # Checked before the transaction (as the role check is): nothing to audit yet.
    rules.check_operator(principal.agency)
    participant_id = uuid7()

    async def work(conn: asyncpg.Connection) -> UUID:
        participant = await _new_participant(conn, participant_id, body, principal.sub, today)
        await lifecycle.enrol(conn, writer, lifecycle.Trace(principal.agency), participant)
        allowed = entry(
            principal, participant_id, "create", "allowed", legal_basis=participant.legal_basis
        )
        await record_access(conn, allowed)
        return participant_id

    return await in_transaction(pool, principal, participant_id, "create", work)


async def list_visible(
    pool: asyncpg.Pool, principal: Principal, status: rules.Status | None
) -> list[ParticipantSummary]:
    async with pool.acquire() as conn, conn.transaction():
        rows = await store.visible_participants(conn, principal.agency, status)
        for row in rows:
            await audit(conn, principal, row, "list")
    return rows


async def read(pool: asyncpg.Pool, principal: Principal, participant_id: UUID) -> ParticipantFile:
    async def work(conn: asyncpg.Connection) -> ParticipantFile:
        row = await guard(conn, participant_id, principal, write=False)
        await audit(conn, principal, row, "read")
        return await _file(conn, row)

    return await in_transaction(pool, principal, participant_id, "read", work)


async def update_profile(
    pool: asyncpg.Pool, principal: Principal, participant_id: UUID, body: ProfileFields
) -> ParticipantFile:
    async def work(conn: asyncpg.Connection) -> ParticipantFile:
        row = await guard(conn, participant_id, principal, write=True)
        await store.update_profile(conn, participant_id, body.age_band, body.school_district_code)
        await audit(conn, principal, row, "update")
        updated = await store.get_participant(conn, participant_id)
        assert updated is not None
        return await _file(conn, updated)

    return await in_transaction(pool, principal, participant_id, "update", work)


async def record_step(
    pool: asyncpg.Pool, principal: Principal, participant_id: UUID, body: StepIn, today: date
) -> UUID:
    step_id = uuid7()

    async def work(conn: asyncpg.Connection) -> UUID:
        row = await guard(conn, participant_id, principal, write=True)
        rules.check_status("step", row.status)
        rules.check_not_before(body.reached_on, row.started_on, "reached_on")
        check_not_future(
            body.reached_on, "reached_on", "未来の日付です / reached_on is in the future", today
        )
        step = Step(
            step_id=step_id,
            participant_id=participant_id,
            stage=body.stage,
            reached_on=body.reached_on,
            note=body.note,
            recorded_by=principal.sub,
        )
        await placements_store.insert_step(conn, step)
        await audit(conn, principal, row, "step_record")
        return step_id

    return await in_transaction(pool, principal, participant_id, "step_record", work)


async def end(
    pool: asyncpg.Pool,
    writer: EventWriter,
    principal: Principal,
    participant_id: UUID,
    body: EndIn,
) -> None:
    async def work(conn: asyncpg.Connection) -> None:
        row = await guard(conn, participant_id, principal, write=True)
        rules.check_status("end", row.status)
        rules.check_not_before(body.ended_on, row.started_on, "ended_on")
        still_open = await placements_store.placements_of(conn, participant_id, only_active=True)
        rules.check_no_open_placements(len(still_open))
        await lifecycle.end(
            conn,
            writer,
            lifecycle.Trace(principal.agency),
            row,
            status="ended",
            ended_on=body.ended_on,
            outcome=body.outcome_code,
        )
        await audit(conn, principal, row, "end")

    await in_transaction(pool, principal, participant_id, "end", work)
