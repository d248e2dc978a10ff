"""Request parameters shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from indicators.domain import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from kasane.auth import Principal
from kasane.auth.dependencies import require_roles

FiscalYear = Annotated[
    int,
    Query(
        ge=MIN_FISCAL_YEAR,
        le=MAX_FISCAL_YEAR,
        description="年度（西暦の開始年。2025 = 令和7年度）",
    ),
]

# City roles only: reports are for 地域福祉課; agencies read only /indicators/consultations.
CityOfficial = Annotated[Principal, Depends(require_roles("city_official"))]
