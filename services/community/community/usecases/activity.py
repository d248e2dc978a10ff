"""Per-program activity reports: report (or correct) a month's figures, 年度 totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from community.domain.activity import ActivityIn, Figures, check_reportable, next_revision
from community.domain.months import fiscal_year_of_month, parse_month
from community.domain.programs import get_program, require_program
from community.store import activity as store
from community.store.activity import ActivityReport
from kasane.auth import Principal
from kasane.events.community import ProgramActivityReported
from kasane.ids import uuid7
from kasane.web.events import EventWriter


@dataclass(frozen=True)
class Reported:
    report: ActivityReport  # the effective revision after the report
    first: bool  # the first report of its key (created)


@dataclass(frozen=True)
class Totals:
    program_code: str
    fiscal_year: int
    sessions: int
    participants: int
    reports: list[ActivityReport]  # by month, then 校区 (city-wide first)


async def report_activity(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    program_code: str,
    data: ActivityIn,
    today: date,
) -> Reported:
    check_reportable(get_program(program_code), program_code)
    month = parse_month(data.month, today)
    district = data.school_district_code
    new = Figures(sessions=data.sessions, participants=data.participants)
    async with pool.acquire() as conn, conn.transaction():
        await store.lock(conn, program_code, month, district)
        current = await store.effective(conn, program_code, month, district)
        revision = next_revision(
            None if current is None else (current.figures, current.revision), new
        )
        if revision is None:
            assert current is not None
            return Reported(current, first=False)  # the same figures again: nothing published
        report = await store.insert(
            conn,
            report_id=current.report_id if current is not None else uuid7(),
            revision=revision,
            program=program_code,
            month=month,
            district=district,
            figures=new,
            fiscal_year=fiscal_year_of_month(month),
            agency_id=principal.agency,
            by=principal.sub,
        )
        await events.emit(
            conn,
            ProgramActivityReported(
                report_id=report.report_id,
                program_code=program_code,
                month=month,
                sessions=new.sessions,
                participants=new.participants,
                school_district_code=district,
            ),
            agency_id=principal.agency,
        )
    return Reported(report, first=revision == 1)


async def activity_totals(pool: asyncpg.Pool, program_code: str, fiscal_year: int) -> Totals:
    require_program(program_code)
    async with pool.acquire() as conn:
        reports = await store.effective_in_fiscal_year(conn, program_code, fiscal_year)
    reports.sort(key=lambda r: (r.month, r.school_district_code or ""))
    return Totals(
        program_code=program_code,
        fiscal_year=fiscal_year,
        sessions=sum(r.sessions for r in reports),
        participants=sum(r.participants for r in reports),
        reports=reports,
    )
