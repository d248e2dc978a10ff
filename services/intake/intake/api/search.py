"""POST /persons/search: find a returning person by name, ふりがな, birth date, address."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from intake.api.deps import Pool, PurposeHeader, purpose
from intake.api.schemas import ok
from intake.domain.search import SearchIn
from intake.usecases import search
from kasane.auth.roles import AnyStaff
from kasane.types import IsoDate

router = APIRouter(tags=["本人・世帯 persons and households"])


class DuplicateOut(BaseModel):
    candidate: bool  # score ≥ the duplicate rule's threshold: probably the same person
    score: float
    reasons: list[str]  # kana | birth_date | address | address_nearby


class OpenCaseOut(BaseModel):
    case_id: str
    lead_agency_id: str
    opened_on: IsoDate


class PersonHit(BaseModel):
    person_id: str
    name: str
    kana: str
    birth_date: IsoDate | None
    address: str | None
    school_district_code: str | None
    registered_by_agency: str
    duplicate: DuplicateOut
    open_cases: list[OpenCaseOut]


class SearchResult(BaseModel):
    items: list[PersonHit]
    count: int


@router.post("/persons/search", response_model=None, responses=ok(SearchResult))
async def search_persons(
    body: SearchIn, principal: AnyStaff, pool: Pool, why: PurposeHeader = None
) -> dict[str, object]:
    """人物検索 among the persons the caller may see (the rule of GET /persons/{id}).

    Criteria in the body, never the URL. Each criterion narrows (AND): ``name`` and
    ``kana`` match partially, tolerant of ひらがな/カタカナ/半角ｶﾅ/spaces/中黒; ``birth_date``
    exactly, in 和暦 or 西暦 (令和8年12月1日, R8.12.1, S30.4.1, 2026-12-01);
    ``address`` partially. One audit row per search (the ids shown, never the criteria).
    """
    hits = await search.search_persons(pool, principal, body, purpose(why, "人物検索"))
    items = [
        PersonHit(
            person_id=str(h.person.id),
            name=h.person.name,
            kana=h.person.kana,
            birth_date=h.person.birth_date,
            address=h.person.address,
            school_district_code=h.person.school_district_code,
            registered_by_agency=h.person.registered_by_agency,
            duplicate=DuplicateOut(
                candidate=h.duplicate_candidate,
                score=h.duplicate.score,
                reasons=list(h.duplicate.reasons),
            ),
            open_cases=[
                OpenCaseOut(
                    case_id=str(c.case_id), lead_agency_id=c.lead_agency_id, opened_on=c.opened_on
                )
                for c in h.open_cases
            ],
        )
        for h in hits
    ]
    return SearchResult(items=items, count=len(items)).model_dump(mode="json")


@router.get("/persons/search", include_in_schema=False)
async def search_by_url() -> None:
    """A GET is refused without reading its query (criteria are personal data, never in a
    URL), and before ``GET /persons/{person_id}`` could answer 422 for the id "search"."""
    raise HTTPException(
        405,
        "人物検索は POST /persons/search（JSON本文）で行ってください / "
        "use POST /persons/search with a JSON body: personal data never goes in a URL",
    )
