"""Cases: open, read (with what the caller may see), list mine, close, reopen (再開)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, status

from intake.api import schemas
from intake.api.deps import CaseReader, Events, Pool, PurposeHeader, purpose
from intake.api.persons import person_json
from intake.api.schemas import created, ok
from intake.domain.cases import CaseCloseIn, CaseIn, CaseReopenIn
from intake.domain.models import ConsentRecord, Consultation, Reopening
from intake.usecases import case_list, cases
from kasane.auth import Principal
from kasane.auth.dependencies import require_roles
from kasane.auth.roles import CaseWorker
from kasane.types import Offset

router = APIRouter(tags=["ケース cases"])


@router.post(
    "/cases",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses=created(schemas.CaseCreated),
)
async def start_case(
    body: CaseIn, principal: CaseWorker, pool: Pool, events: Events, why: PurposeHeader = None
) -> dict[str, Any]:
    case_id = await cases.start_case(pool, events, principal, body, purpose(why, "ケース開始"))
    return {"case_id": str(case_id)}


@router.get("/cases", response_model=None, responses=ok(schemas.CaseList))
async def my_cases(
    principal: CaseWorker,
    pool: Pool,
    status_filter: Annotated[str, Query(alias="status", pattern="^(open|closed|all)$")] = "open",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[Offset, Query()] = 0,
    agency: Annotated[
        Literal["mine", "shared"],
        Query(
            description="mine: 主担当のケース / shared: 他機関が主担当で自機関に共有されたケース"
        ),
    ] = "mine",
    names: Annotated[
        bool, Query(description="世帯員の氏名・ふりがなを含める（1ページ1件の閲覧記録）")
    ] = False,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    """Cases my agency leads (主担当), or (``agency=shared``) those shared with it. Without
    ``names``: ids and codes only, no personal data, no audit row. With ``names=true``:
    each case's lead agency, persons and their names, and one audit row for the page."""
    if agency == "mine" and not names:
        rows = await cases.my_cases(pool, principal, status_filter, limit, offset)
        items = [{**asdict(r), "case_id": str(r.id)} for r in rows]
    else:
        listed = await case_list.list_cases(
            pool,
            principal,
            scope=agency,
            status=status_filter,
            names=names,
            limit=limit,
            offset=offset,
            purpose=purpose(why, "ケース一覧"),
        )
        items = [_listed_json(c, names) for c in listed]
    return {"items": items, "limit": limit, "offset": offset}


def _listed_json(listed: case_list.ListedCase, names: bool) -> dict[str, Any]:
    case = listed.case
    out: dict[str, Any] = {
        **{f: getattr(case, f) for f in _SUMMARY_FIELDS},
        "id": case.id,
        "case_id": str(case.id),
        "lead_agency_id": case.lead_agency_id,
        "household_id": _optional_id(case.household_id),
        "primary_person_id": _optional_id(case.primary_person_id),
        "access": {"level": listed.decision.level.name.lower(), "basis": listed.decision.basis},
    }
    if names:
        out["persons"] = [
            {
                "person_id": str(p.person_id),
                "name": p.name,
                "kana": p.kana,
                "relationship": p.relationship,
            }
            for p in listed.persons
        ]
    return out


_SUMMARY_FIELDS = (
    "status",
    "opened_on",
    "closed_on",
    "issue_codes",
    "between_systems",
    "school_district_code",
)


def _consent_json(row: ConsentRecord) -> dict[str, Any]:
    return {
        "consent_id": str(row.id),
        "person_id": str(row.person_id),
        "scope": {
            "agencies": row.scope_agencies,
            "programs": row.scope_programs,
            "meeting_types": row.scope_meeting_types,
        },
        "method": row.method,
        "consented_on": row.consented_on,
        "expires_on": row.expires_on,
        "withdrawn_on": row.withdrawn_on,
    }


def _consultation_json(c: Consultation) -> dict[str, Any]:
    return {
        "consultation_id": str(c.id),
        **{
            k: getattr(c, k)
            for k in (
                "agency_id",
                "received_at",
                "channel",
                "consulted_by",
                "issue_codes",
                "urgency",
                "narrative",
                "outcome",
                "between_systems",
                "between_systems_reason",
            )
        },
    }


def _optional_id(value: UUID | None) -> str | None:
    return str(value) if value else None


@router.get("/cases/{case_id}", response_model=None, responses=ok(schemas.Case))
async def read_case(
    case_id: UUID, principal: CaseReader, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    view = await cases.read_case(pool, principal, case_id, purpose(why, "ケース閲覧"))
    case = view.case
    return {
        "case_id": str(case_id),
        "status": case.status,
        "lead_agency_id": case.lead_agency_id,
        "household_id": _optional_id(case.household_id),
        "primary_person_id": _optional_id(case.primary_person_id),
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "close_reason": case.close_reason,
        "reopened_on": case.reopened_on,
        "school_district_code": case.school_district_code,
        "issue_codes": case.issue_codes,
        "between_systems": case.between_systems,
        "access": {"level": view.decision.level.name.lower(), "basis": view.decision.basis},
        "members": [
            {**person_json(m), "relationship": m.relationship, "care_role": m.care_role}
            for m in view.members
        ],
        "consultations": [_consultation_json(c) for c in view.consultations],
        "consents": [_consent_json(c) for c in view.consents],
        "reopenings": [_reopening_json(r) for r in view.reopenings],
    }


def _reopening_json(r: Reopening) -> dict[str, Any]:
    return {
        "reopened_on": r.reopened_on,
        "reason": r.reason,
        "note": r.note,
        "closed_on": r.closed_on,
        "close_reason": r.close_reason,
        "reopened_agency": r.reopened_agency,
    }


@router.post("/cases/{case_id}/close", response_model=None, responses=ok(schemas.CaseClosed))
async def close_case(
    case_id: UUID,
    body: CaseCloseIn,
    principal: CaseWorker,
    pool: Pool,
    events: Events,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    await cases.close_case(pool, events, principal, case_id, body, purpose(why, "ケース終結"))
    return {"case_id": str(case_id), "status": "closed"}


# 再開 is the case's own staff's decision (相談員・コーディネーター), not a manager's.
CaseReopener = Annotated[Principal, Depends(require_roles("counselor", "coordinator"))]


@router.post("/cases/{case_id}/reopen", response_model=None, responses=ok(schemas.CaseReopened))
async def reopen_case(
    case_id: UUID,
    body: CaseReopenIn,
    principal: CaseReopener,
    pool: Pool,
    events: Events,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    """ケース再開: the lead agency's closed case is open again (409 when it is not closed, or
    when the household has another open case). The note stays in intake; the event
    ``intake.CaseReopened`` carries the reason's code only."""
    await cases.reopen_case(pool, events, principal, case_id, body, purpose(why, "ケース再開"))
    return {"case_id": str(case_id), "status": "open", "reopened_on": body.reopened_on}
