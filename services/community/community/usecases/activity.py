"""Per-program activity reports: report (or correct) a month's figures, 年度 totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from community.domain.activity import (
    ActivityIn,
    Figures,
    check_component,
    check_operator,
    check_reportable,
    next_revision,
)
from community.domain.months import fiscal_year_of_month, parse_month
from community.store import activity as store
from community.store.activity import ActivityReport
from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.errors import Forbidden
from kasane.events.community import ProgramActivityReported
from kasane.ids import uuid7
from kasane.reference.programs import get_program, require_program
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
    reports: list[ActivityReport]  # by month, component, then 校区 (city-wide first)


async def report_activity(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    program_code: str,
    data: ActivityIn,
    today: date,
) -> Reported:
    program = check_reportable(get_program(program_code), program_code)
    try:
        check_operator(program, principal.agency)
    except Forbidden:
        await _audit_refusal(pool, principal, program_code)
        raise
    component = check_component(program, data.component_code)
    month = parse_month(data.month, today)
    district = data.school_district_code
    new = Figures(sessions=data.sessions, participants=data.participants)
    async with pool.acquire() as conn, conn.transaction():
        await store.lock(conn, program_code, component, month, district)
        current = await store.effective(conn, program_code, component, month, district)
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
            component=component,
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
                component_code=component,
            ),
            agency_id=principal.agency,
        )
    return Reported(report, first=revision == 1)


async def _audit_refusal(pool: asyncpg.Pool, principal: Principal, program_code: str) -> None:
    """A refused report by someone who does not operate the program is audited (in a
    transaction of its own: the refusal itself writes nothing else)."""
    async with pool.acquire() as conn, conn.transaction():
        await record_access(
            conn,
            AccessEntry.by(
                principal,
                record_type="program_activity",
                record_id=program_code,
                action="report",
                purpose="地域づくり事業の活動報告 / program activity report",
                outcome="denied",
            ),
        )


async def activity_totals(pool: asyncpg.Pool, program_code: str, fiscal_year: int) -> Totals:
    require_program(program_code)
    async with pool.acquire() as conn:
        reports = await store.effective_in_fiscal_year(conn, program_code, fiscal_year)
    reports.sort(key=lambda r: (r.month, r.component_code or "", r.school_district_code or ""))
    return Totals(
        program_code=program_code,
        fiscal_year=fiscal_year,
        sessions=sum(r.sessions for r in reports),
        participants=sum(r.participants for r in reports),
        reports=reports,
    )
