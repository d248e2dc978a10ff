"""The managers' view: one agency's monthly figures (its manager, or the city)."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends

from indicators.api import schemas as api_schemas
from indicators.api.deps import FiscalYear, Now, Pool
from indicators.api.schemas import ok
from indicators.domain.agency_view import check_agency_reader
from indicators.domain.fiscal_years import fiscal_months
from indicators.domain.sheets import agency_name, agency_table, wareki_month
from indicators.usecases.reading import year_report
from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.auth.dependencies import require_roles
from kasane.errors import Forbidden

router = APIRouter(prefix="/agencies", tags=["機関別 agencies"])

ManagerOrCity = Annotated[Principal, Depends(require_roles("manager", "city_official"))]


async def _audit_refusal(pool: asyncpg.Pool, principal: Principal, agency_id: str) -> None:
    # Another agency's figures were asked for: the refused attempt is audited.
    async with pool.acquire() as conn, conn.transaction():
        await record_access(
            conn,
            AccessEntry.by(
                principal,
                record_type="agency_figures",
                record_id=agency_id,
                action="read",
                purpose="機関別の月次件数 / an agency's monthly figures",
                outcome="denied",
            ),
        )


@router.get(
    "/{agency_id}/monthly",
    summary="機関の月別件数（自機関の管理者・市）",
    response_model=None,
    responses={**ok(api_schemas.AgencyMonthly), 403: {"description": "他機関 / not yours"}},
)
async def agency_monthly(
    agency_id: str,
    principal: ManagerOrCity,
    pool: Pool,
    clock: Now,
    fiscal_year: FiscalYear,
) -> dict[str, Any]:
    """相談受付・新規相談受付・ケース開始・つなぎ（依頼／受付）per month, for one agency (and,
    for a program's operator, its programs' 地域づくり activity): a 委託先's manager reads
    their own agency's only; city officials any agency's."""
    try:
        check_agency_reader(principal, agency_id)
    except Forbidden:
        await _audit_refusal(pool, principal, agency_id)
        raise
    report = await year_report(pool, fiscal_year, clock.today())
    months = fiscal_months(fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "fiscal_year_label": report.labels["fiscal_year_label"],
        "as_of": report.as_of.isoformat(),
        "agency_id": agency_id,
        "agency_name_ja": agency_name(agency_id),
        "months": months,
        "month_labels": [wareki_month(m) for m in months],
        "rows": [
            {"measure": label, "figure": figure, "values": values, "total": sum(values)}
            for label, figure, values in agency_table(report.figures, agency_id)
        ],
    }
