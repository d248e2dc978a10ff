"""ふれあいの会 watch-visit reports: report a month's figure, read it, its history, 年度 totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from community.domain.months import fiscal_year_of_month, parse_month
from community.domain.watch_visits import Summary, next_revision, no_report, summarize
from community.store import watch_visits as store
from community.store.watch_visits import Revision
from kasane.auth import Principal
from kasane.events.community import WatchVisitsReported
from kasane.types import check_school_district
from kasane.web.events import EventWriter


@dataclass(frozen=True)
class Reported:
    revision: Revision  # the effective figure after the report
    first: bool  # the month's first report (created), not a correction or a repeat


@dataclass(frozen=True)
class Key:
    """A report's key, as the path gives it; checked by each use case against ``today``."""

    school_district: str
    month: str

    def checked(self, today: date) -> tuple[str, str]:
        """A known 校区 and a month that has begun, or 422 naming the part."""
        return check_school_district(self.school_district), parse_month(self.month, today)


async def report(
    pool: asyncpg.Pool,
    events: EventWriter,
    principal: Principal,
    key: Key,
    visits: int,
    today: date,
) -> Reported:
    district, month = key.checked(today)
    async with pool.acquire() as conn, conn.transaction():
        await store.lock(conn, district, month)
        current = await store.effective(conn, district, month)
        revision = next_revision(None if current is None else current.effective, visits)
        if revision is None:
            assert current is not None
            return Reported(current, first=False)  # the same figure again: nothing published
        row = await store.insert(
            conn,
            district=district,
            month=month,
            revision=revision,
            visits=visits,
            fiscal_year=fiscal_year_of_month(month),
            agency_id=principal.agency,
            reported_by=principal.sub,
        )
        await events.emit(
            conn,
            WatchVisitsReported(
                school_district_code=district,
                month=month,
                visits=visits,
                revision=revision,
                fiscal_year=row.fiscal_year,
            ),
            agency_id=principal.agency,
        )
    return Reported(row, first=revision == 1)


async def effective(pool: asyncpg.Pool, key: Key, today: date) -> Revision:
    district, month = key.checked(today)
    async with pool.acquire() as conn:
        row = await store.effective(conn, district, month)
    if row is None:
        raise no_report(district, month)
    return row


async def history(pool: asyncpg.Pool, key: Key, today: date) -> tuple[str, str, list[Revision]]:
    """The checked key and every revision of its figure, oldest first."""
    district, month = key.checked(today)
    async with pool.acquire() as conn:
        rows = await store.history(conn, district, month)
    if not rows:
        raise no_report(district, month)
    return district, month, rows


async def fiscal_year_totals(pool: asyncpg.Pool, fiscal_year: int, district: str | None) -> Summary:
    if district is not None:
        check_school_district(district)
    async with pool.acquire() as conn:
        rows = await store.effective_in_fiscal_year(conn, fiscal_year, district)
    return summarize(rows)
