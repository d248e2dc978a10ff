"""Persons (本人・世帯員): registration, reading, duplicate suggestions, linking."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field

from intake.api import schemas
from intake.api.deps import Pool, PurposeHeader, Worker, purpose
from intake.api.schemas import created, ok
from intake.domain.duplicates import Candidate, Probe, rank
from intake.domain.normalize import is_kana, normalize_address, normalize_kana
from intake.domain.persons import PersonIn
from intake.guard import person_access, person_decision, unit_of_work
from intake.store import persons
from kasane.audit import AccessEntry, record_access
from kasane.ids import uuid7
from kasane.types import IsoDate, Line
from kasane.web.errors import Refused

router = APIRouter(tags=["本人・世帯 persons and households"])

DUPLICATE_LIMIT = 10  # suggestions shown; staff refine the keys rather than page

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


def person_json(row: asyncpg.Record) -> dict[str, Any]:
    return {"person_id": str(row["id"]), **{k: row[k] for k in PERSON_FIELDS}}


@router.post(
    "/persons",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses=created(schemas.PersonCreated),
)
async def register_person(
    body: PersonIn, principal: Worker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    person_id = uuid7()
    async with unit_of_work(pool) as conn:
        await persons.insert_person(conn, person_id, body, principal.agency, principal.sub)
        await record_access(
            conn,
            AccessEntry.by(
                principal,
                record_type="person",
                record_id=str(person_id),
                subject_id=str(person_id),
                action="create",
                purpose=purpose(why, "本人登録"),
                outcome="allowed",
                legal_basis="owner",
            ),
        )
    return {"person_id": str(person_id)}


class DuplicateProbeIn(BaseModel):
    """The keys of a 重複確認. A body, never a query string: URLs end up in access logs."""

    model_config = ConfigDict(extra="forbid")

    kana: Line | None = Field(default=None, max_length=100)
    birth_date: IsoDate | None = None
    address: Line | None = Field(default=None, max_length=200)


@router.post("/persons/duplicates", response_model=None, responses=ok(schemas.Candidates))
async def duplicate_suggestions(
    body: DuplicateProbeIn, principal: Worker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    """重複候補 among the persons the caller may already see; ids and reasons, no data.

    A match the caller may not see is not reported at all — not even as "a match exists
    elsewhere": that alone would tell any agency that someone with this ふりがな is known to
    the 重層的支援 system. It is audited as a denied ``duplicate_check`` on that person, so
    the person's 開示請求 log shows who searched (see docs/architecture/access-rules.md).
    """
    if body.kana is not None and not is_kana(body.kana):
        raise Refused(422, "kana", "ふりがなはひらがな・カタカナで入力 / kana must be kana")
    if not (body.kana or body.birth_date or body.address):
        raise Refused(
            422, "kana", "ふりがな・生年月日・住所のいずれかが必要 / give at least one key"
        )
    probe = Probe(
        kana=normalize_kana(body.kana) if body.kana else None,
        birth_date=body.birth_date,
        address=normalize_address(body.address) if body.address else None,
    )
    reason = purpose(why, "重複確認")
    shown: list[dict[str, Any]] = []
    async with unit_of_work(pool) as conn:
        rows = {
            r["id"]: r
            for r in await persons.duplicate_candidates(
                conn, probe.kana, probe.birth_date, probe.address
            )
        }
        candidates = [
            Candidate(r["id"], r["kana_normalized"], r["birth_date"], r["address_normalized"])
            for r in rows.values()
        ]
        # Rank everything first: hidden matches must not push visible ones off the list.
        for match in rank(probe, candidates, limit=len(candidates)):
            row = rows[match.person_id]
            decision = await person_decision(conn, principal, row)
            visible = decision.allowed and len(shown) < DUPLICATE_LIMIT
            if decision.allowed and not visible:
                continue  # beyond the list's length: not shown, so nothing to audit
            await record_access(
                conn,
                AccessEntry.by(
                    principal,
                    record_type="person",
                    record_id=str(match.person_id),
                    subject_id=str(match.person_id),
                    action="duplicate_check",
                    purpose=reason,
                    outcome="allowed" if visible else "denied",
                    legal_basis=decision.basis if visible else None,
                ),
            )
            if visible:
                shown.append(
                    {
                        "person_id": str(match.person_id),
                        "score": match.score,
                        "reasons": list(match.reasons),
                        "registered_by_agency": row["registered_by_agency"],
                    }
                )
    return {"candidates": shown}


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
    person_id: UUID, principal: Worker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    async with unit_of_work(pool) as conn:
        row = await person_access(
            conn, principal, person_id, action="read", purpose=purpose(why, "本人情報の閲覧")
        )
        households = await persons.households_of(conn, person_id)
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
    person_id: UUID, body: LinkIn, principal: Worker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    """Staff decided the two records are the same person: recorded, never merged."""
    if body.linked_person_id == person_id:
        raise Refused(422, "linked_person_id", "同じ人には紐付けられません / cannot link to itself")
    reason = purpose(why, "重複候補の紐付け")
    async with unit_of_work(pool) as conn:
        await person_access(conn, principal, person_id, action="link", purpose=reason)
        # Only a record the caller may see (a 重複候補 it was shown): 404 and audited otherwise.
        await person_access(
            conn,
            principal,
            body.linked_person_id,
            action="link",
            purpose=reason,
            field="linked_person_id",
        )
        created = await persons.link_persons(
            conn, person_id, body.linked_person_id, principal.sub, principal.agency
        )
    return {
        "person_id": str(person_id),
        "linked_person_id": str(body.linked_person_id),
        "created": created,
    }
