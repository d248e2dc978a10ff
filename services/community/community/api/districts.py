"""GET /school-districts: the 校区 reference table every service validates against."""

from __future__ import annotations

from fastapi import APIRouter

from community.api.deps import AnyStaff
from community.api.schemas import DistrictsOut
from kasane.reference.school_districts import active_school_districts

router = APIRouter(tags=["校区 school districts"])


@router.get("/school-districts")
async def school_districts(_: AnyStaff) -> DistrictsOut:
    return DistrictsOut.of(active_school_districts())
