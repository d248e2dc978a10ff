"""What every indicators route needs: the caller, the pool, the fiscal year, the clock."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Query, Request

from indicators.api.session_auth import NotAllowed, NotSignedIn, city_principal
from indicators.domain.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from kasane.auth import Principal
from kasane.auth.roles import CITY_READER_ROLES, CaseWorkerOrCity, CityReader
from kasane.clock import Clock, system_clock

__all__ = [
    "CityOfficial",
    "CityReader",
    "CitySessionReader",
    "FiscalYear",
    "Now",
    "Pool",
    "Reader",
]

FiscalYear = Annotated[
    int,
    Query(
        ge=MIN_FISCAL_YEAR,
        le=MAX_FISCAL_YEAR,
        description="年度（西暦の開始年。2025 = 令和7年度）",
    ),
]

# City roles only (kasane.auth.roles.CityReader): reports are for 地域福祉課; agencies read
# only /indicators/consultations.
CityOfficial = CityReader

# Consultation counts carry no personal data: city officials and agency staff may read them.
Reader = CaseWorkerOrCity  # (kasane.auth.roles)


def get_pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


Pool = Annotated[asyncpg.Pool, Depends(get_pool)]
# "Today" decides the current 年度 and a year's as-of date; pinnable by tests.
Now = Annotated[Clock, Depends(system_clock)]


async def city_session_reader(request: Request) -> Principal:
    """GET downloads: header or dashboard session, city roles only."""
    try:
        principal, _ = await city_principal(request)
    except NotSignedIn as exc:
        raise HTTPException(401, exc.reason, {"WWW-Authenticate": "Bearer"}) from exc
    except NotAllowed as exc:
        raise HTTPException(
            403, f"権限がありません / requires one of the roles: {', '.join(CITY_READER_ROLES)}"
        ) from exc
    return principal


# Header or the dashboard's cookie session: the downloads a browser navigates to.
CitySessionReader = Annotated[Principal, Depends(city_session_reader)]
