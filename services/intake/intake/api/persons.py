"""Persons (本人・世帯員): registration, reading, duplicate suggestions, linking."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field

from intake.api import schemas
from intake.api.deps import CaseReader, Pool, PurposeHeader, purpose
from intake.api.schemas import created, ok
from intake.domain.models import Person
from intake.domain.persons import PersonIn
from intake.usecases import persons
from kasane.auth.roles import CaseWorker
from kasane.types import IsoDate, Line

router = APIRouter(tags=["本人・世帯 persons and households"])

PERSON_FIELDS = (
    "name",
    "kana",
    "birth_date",
    "sex",
    "address",
    "phone",
    "school_district_code",
    "registered_by_agency",
)


def person_json(row: Person) -> dict[str, Any]:
    return {"person_id": str(row.id), **{k: getattr(row, k) for k in PERSON_FIELDS}}


@router.post(
    "/persons",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses=created(schemas.PersonCreated),
)
async def register_person(
    body: PersonIn, principal: CaseWorker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    person_id = await persons.register_person(pool, principal, body, purpose(why, "本人登録"))
    return {"person_id": str(person_id)}


class DuplicateProbeIn(BaseModel):
    """The keys of a 重複確認. A body, never a query string: URLs end up in access logs."""

    model_config = ConfigDict(extra="forbid")

    kana: Line | None = Field(default=None, max_length=100)
    birth_date: IsoDate | None = None
    address: Line | None = Field(default=None, max_length=200)


@router.post("/persons/duplicates", response_model=None, responses=ok(schemas.Candidates))
async def duplicate_suggestions(
    body: DuplicateProbeIn, principal: CaseWorker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    """重複候補 among the persons the caller may already see (``usecases.persons``)."""
    shown = await persons.duplicate_suggestions(
        pool,
        principal,
        kana=body.kana,
        birth_date=body.birth_date,
        address=body.address,
        purpose=purpose(why, "重複確認"),
    )
    return {
        "candidates": [
            {
                "person_id": str(s.match.person_id),
                "score": s.match.score,
                "reasons": list(s.match.reasons),
                "registered_by_agency": s.registered_by_agency,
            }
            for s in shown
        ]
    }


@router.get("/persons/duplicates", include_in_schema=False)
async def duplicate_suggestions_by_url() -> None:
    """The old GET form: refused without reading its query (personal data in a URL), and
    before ``/persons/{person_id}`` could answer 422 for the id "duplicates"."""
    raise HTTPException(
        405,
        "重複確認は POST /persons/duplicates（JSON本文）で行ってください / "
        "use POST /persons/duplicates with a JSON body: personal data never goes in a URL",
    )


@router.get("/persons/{person_id}", response_model=None, responses=ok(schemas.PersonRead))
async def read_person(
    person_id: UUID, principal: CaseReader, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    row, households = await persons.read_person(
        pool, principal, person_id, purpose(why, "本人情報の閲覧")
    )
    return {**person_json(row), "household_ids": [str(h) for h in households]}


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    linked_person_id: UUID


@router.post(
    "/persons/{person_id}/links",
    status_code=status.HTTP_201_CREATED,
    responses=created(schemas.LinkCreated),
)
async def link_person(
    person_id: UUID, body: LinkIn, principal: CaseWorker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    """Staff decided the two records are the same person: recorded, never merged."""
    created = await persons.link_person(
        pool, principal, person_id, body.linked_person_id, purpose(why, "重複候補の紐付け")
    )
    return {
        "person_id": str(person_id),
        "linked_person_id": str(body.linked_person_id),
        "created": created,
    }
