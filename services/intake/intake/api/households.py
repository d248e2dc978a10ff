"""Households (世帯): members and the situations they show (8050, ダブルケア, ヤングケアラー)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status

from intake.api import schemas
from intake.api.deps import CaseReader, Pool, PurposeHeader, purpose
from intake.api.persons import person_json
from intake.api.schemas import created, ok
from intake.domain.persons import HouseholdIn
from intake.usecases import households
from kasane.auth.roles import CaseWorker

router = APIRouter(tags=["本人・世帯 persons and households"])


@router.post(
    "/households",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses=created(schemas.HouseholdCreated),
)
async def register_household(
    body: HouseholdIn, principal: CaseWorker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    household_id = await households.register_household(
        pool, principal, body, purpose(why, "世帯登録")
    )
    return {"household_id": str(household_id)}


@router.get("/households/{household_id}", response_model=None, responses=ok(schemas.Household))
async def read_household(
    household_id: UUID, principal: CaseReader, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    view = await households.read_household(
        pool, principal, household_id, purpose(why, "世帯情報の閲覧")
    )
    return {
        "household_id": str(household_id),
        "members": [
            {
                **person_json(r),
                "relationship": r.relationship,
                "care_role": r.care_role,
                "age": f.age,
            }
            for r, f in view.members
        ],
        "situations": view.situations,
    }
