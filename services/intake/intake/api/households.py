"""Households (世帯): members and the situations they show (8050, ダブルケア, ヤングケアラー)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status

from intake.api import schemas
from intake.api.deps import Pool, PurposeHeader, Worker, purpose
from intake.api.persons import person_json
from intake.api.schemas import created, ok
from intake.domain.persons import HouseholdIn, MemberFacts, age_on, household_situations
from intake.guard import household_access, person_access, unit_of_work
from intake.store import persons
from kasane.audit import AccessEntry, record_access
from kasane.clock import today_jst
from kasane.ids import uuid7

router = APIRouter(tags=["本人・世帯 persons and households"])


@router.post(
    "/households",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses=created(schemas.HouseholdCreated),
)
async def register_household(
    body: HouseholdIn, principal: Worker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    reason = purpose(why, "世帯登録")
    household_id = uuid7()
    async with unit_of_work(pool) as conn:
        for i, member in enumerate(body.members):
            await person_access(
                conn,
                principal,
                member.person_id,
                action="link",
                purpose=reason,
                field=f"members.{i}.person_id",
            )
        await persons.insert_household(conn, household_id, body, principal.agency, principal.sub)
        await record_access(
            conn,
            AccessEntry.by(
                principal,
                record_type="household",
                record_id=str(household_id),
                subject_id=str(household_id),
                action="create",
                purpose=reason,
                outcome="allowed",
                legal_basis="owner",
            ),
        )
    return {"household_id": str(household_id)}


@router.get("/households/{household_id}", response_model=None, responses=ok(schemas.Household))
async def read_household(
    household_id: UUID, principal: Worker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    async with unit_of_work(pool) as conn:
        await household_access(
            conn, principal, household_id, action="read", purpose=purpose(why, "世帯情報の閲覧")
        )
        rows = await persons.members(conn, household_id)
    today = today_jst()
    facts = [
        MemberFacts(
            r["relationship"],
            r["care_role"],
            age_on(r["birth_date"], today) if r["birth_date"] else None,
        )
        for r in rows
    ]
    return {
        "household_id": str(household_id),
        "members": [
            {
                **person_json(r),
                "relationship": r["relationship"],
                "care_role": r["care_role"],
                "age": f.age,
            }
            for r, f in zip(rows, facts, strict=True)
        ],
        "situations": household_situations(facts),
    }
