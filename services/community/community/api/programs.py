"""Community-building program catalog and per-program activity reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from community.api.deps import AggregateReader, AnyStaff, Events, Pool, ProgramReporter, Today
from community.api.schemas import ActivityOut, ActivityTotals, ProgramOut
from community.domain.activity import ActivityIn
from community.usecases import activity
from kasane.reference.programs import catalog, require_program

router = APIRouter(prefix="/programs", tags=["地域づくり事業 programs"])


@router.get("")
async def list_programs(_: AnyStaff) -> list[ProgramOut]:
    return [ProgramOut.of(p) for p in catalog().programs]


@router.get("/{program_code}")
async def read_program(program_code: str, _: AnyStaff) -> ProgramOut:
    return ProgramOut.of(require_program(program_code))


@router.post("/{program_code}/activity")
async def report_activity(
    program_code: str,
    body: ActivityIn,
    principal: ProgramReporter,
    pool: Pool,
    events: Events,
    clock: Today,
    response: Response,
) -> ActivityOut:
    reported = await activity.report_activity(
        pool, events, principal, program_code, body, clock.today()
    )
    if reported.first:
        response.status_code = 201
    return ActivityOut.of(reported.report)


@router.get("/{program_code}/activity")
async def activity_totals(
    program_code: str,
    _: AggregateReader,
    pool: Pool,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
) -> ActivityTotals:
    totals = await activity.activity_totals(pool, program_code, fiscal_year)
    return ActivityTotals(
        program_code=totals.program_code,
        fiscal_year=totals.fiscal_year,
        sessions=totals.sessions,
        participants=totals.participants,
        reports=[ActivityOut.of(r) for r in totals.reports],
    )
