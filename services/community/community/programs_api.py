"""Community-building program catalog and per-program activity reports."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from community import activity_store as store
from community.access import AggregateReader, AnyToken, ShakyoWriter
from community.activity import ActivityIn, Figures, check_reportable, next_revision
from community.clock import today_jst
from community.months import fiscal_year_of_month, parse_month
from community.programs import OPERATION_LABELS, Program, catalog, get_program
from kasane.events.community import ProgramActivityReported
from kasane.ids import uuid7
from kasane.types import IsoDatetime
from kasane.web.errors import Refused
from kasane.web.events import EventWriter

router = APIRouter(prefix="/programs", tags=["地域づくり事業 programs"])


class ProgramOut(Program):
    operation_ja: str | None
    parts: list[str]


class ActivityOut(BaseModel):
    report_id: str
    program_code: str
    month: str
    school_district_code: str | None
    sessions: int
    participants: int
    revision: int
    fiscal_year: int
    reported_at: IsoDatetime


class ActivityTotals(BaseModel):
    program_code: str
    fiscal_year: int
    sessions: int
    participants: int
    reports: list[ActivityOut]


def _program_out(program: Program) -> ProgramOut:
    return ProgramOut(
        **program.model_dump(),
        operation_ja=OPERATION_LABELS.get(program.operation or ""),
        parts=[p.code for p in catalog().programs if p.parent == program.code],
    )


def _activity_out(row: asyncpg.Record) -> ActivityOut:
    return ActivityOut(
        report_id=str(row["report_id"]),
        program_code=row["program_code"],
        month=row["month"],
        school_district_code=row["school_district_code"] or None,
        sessions=row["sessions"],
        participants=row["participants"],
        revision=row["revision"],
        fiscal_year=row["fiscal_year"],
        reported_at=row["reported_at"],
    )


@router.get("")
async def list_programs(_: AnyToken) -> list[ProgramOut]:
    return [_program_out(p) for p in catalog().programs]


@router.get("/{program_code}")
async def read_program(program_code: str, _: AnyToken) -> ProgramOut:
    program = get_program(program_code)
    if program is None:
        raise Refused(404, "program_code", f"未知の事業 / unknown program: {program_code}")
    return _program_out(program)


@router.post("/{program_code}/activity")
async def report_activity(
    program_code: str,
    body: ActivityIn,
    principal: ShakyoWriter,
    request: Request,
    response: Response,
) -> ActivityOut:
    check_reportable(get_program(program_code), program_code)
    month = parse_month(body.month, today_jst())
    district = body.school_district_code or ""
    new = Figures(sessions=body.sessions, participants=body.participants)
    pool: asyncpg.Pool = request.app.state.pool
    events: EventWriter = request.app.state.events
    async with pool.acquire() as conn, conn.transaction():
        await store.lock(conn, program_code, month, district)
        row = await store.effective(conn, program_code, month, district)
        current = (
            None
            if row is None
            else (Figures(row["sessions"], row["participants"]), int(row["revision"]))
        )
        revision = next_revision(current, new)
        if revision is None:
            assert row is not None
            return _activity_out(row)
        row = await store.insert(
            conn,
            report_id=row["report_id"] if row is not None else uuid7(),
            revision=revision,
            program=program_code,
            month=month,
            district=district,
            sessions=body.sessions,
            participants=body.participants,
            fiscal_year=fiscal_year_of_month(month),
            agency_id=principal.agency,
            by=principal.sub,
        )
        await events.emit(
            conn,
            ProgramActivityReported(
                report_id=row["report_id"],
                program_code=program_code,
                month=month,
                sessions=body.sessions,
                participants=body.participants,
                school_district_code=body.school_district_code,
            ),
            agency_id=principal.agency,
        )
    if revision == 1:
        response.status_code = 201
    return _activity_out(row)


@router.get("/{program_code}/activity")
async def activity_totals(
    program_code: str,
    _: AggregateReader,
    request: Request,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
) -> ActivityTotals:
    if get_program(program_code) is None:
        raise Refused(404, "program_code", f"未知の事業 / unknown program: {program_code}")
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        rows = await store.effective_in_fiscal_year(conn, program_code, fiscal_year)
    reports = sorted(
        (_activity_out(r) for r in rows), key=lambda a: (a.month, a.school_district_code or "")
    )
    return ActivityTotals(
        program_code=program_code,
        fiscal_year=fiscal_year,
        sessions=sum(r.sessions for r in reports),
        participants=sum(r.participants for r in reports),
        reports=reports,
    )
