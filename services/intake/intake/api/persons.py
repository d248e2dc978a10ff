"""Persons (本人・世帯員): registration, reading, duplicate suggestions, linking."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict

from intake.api import schemas
from intake.api.deps import Pool, PurposeHeader, Worker, purpose
from intake.api.schemas import created, ok
from intake.domain.duplicates import Candidate, Probe, rank
from intake.domain.normalize import is_kana, normalize_address, normalize_kana
from intake.domain.persons import PersonIn
from intake.guard import person_access, unit_of_work
from intake.store import persons
from kasane.audit import AccessEntry, record_access
from kasane.ids import uuid7
from kasane.types import IsoDate
from kasane.web.errors import Refused

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


@router.get("/persons/duplicates", response_model=None, responses=ok(schemas.Candidates))
async def duplicate_suggestions(
    principal: Worker,
    pool: Pool,
    kana: Annotated[str | None, Query(max_length=100)] = None,
    birth_date: IsoDate | None = None,
    address: Annotated[str | None, Query(max_length=200)] = None,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    """重複候補: suggestions only; staff link or create. Answers ids and reasons, no data."""
    if kana is not None and not is_kana(kana):
        raise Refused(422, "kana", "ふりがなはひらがな・カタカナで入力 / kana must be kana")
    if not (kana or birth_date or address):
        raise Refused(
            422, "kana", "ふりがな・生年月日・住所のいずれかが必要 / give at least one key"
        )
    probe = Probe(
        kana=normalize_kana(kana) if kana else None,
        birth_date=birth_date,
        address=normalize_address(address) if address else None,
    )
    async with unit_of_work(pool) as conn:
        rows = await persons.duplicate_candidates(conn, probe.kana, probe.birth_date, probe.address)
        candidates = [
            Candidate(r["id"], r["kana_normalized"], r["birth_date"], r["address_normalized"])
            for r in rows
        ]
        matches = rank(probe, candidates)
        agencies = {r["id"]: r for r in await _registered_by(conn, [m.person_id for m in matches])}
        for match in matches:  # a suggestion discloses that the record exists: audit it
            await record_access(
                conn,
                AccessEntry.by(
                    principal,
                    record_type="person",
                    record_id=str(match.person_id),
                    subject_id=str(match.person_id),
                    action="duplicate_check",
                    purpose=purpose(why, "重複確認"),
                    outcome="allowed",
                    legal_basis=None,
                ),
            )
    return {
        "candidates": [
            {
                "person_id": str(m.person_id),
                "score": m.score,
                "reasons": list(m.reasons),
                "registered_by_agency": agencies[m.person_id]["registered_by_agency"],
            }
            for m in matches
        ]
    }


async def _registered_by(conn: asyncpg.Connection, ids: list[UUID]) -> list[asyncpg.Record]:
    return list(
        await conn.fetch("SELECT id, registered_by_agency FROM persons WHERE id = ANY($1)", ids)
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
        if not await persons.existing_person_ids(conn, [body.linked_person_id]):
            raise Refused(404, "linked_person_id", "見つかりません / not found")
        created = await persons.link_persons(
            conn, person_id, body.linked_person_id, principal.sub, principal.agency
        )
        await record_access(
            conn,
            AccessEntry.by(
                principal,
                record_type="person",
                record_id=str(body.linked_person_id),
                subject_id=str(body.linked_person_id),
                action="link",
                purpose=reason,
                outcome="allowed",
                legal_basis="identity_confirmed",
            ),
        )
    return {
        "person_id": str(person_id),
        "linked_person_id": str(body.linked_person_id),
        "created": created,
    }
