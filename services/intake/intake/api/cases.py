"""Cases: open, read (with what the caller may see), list mine, close."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Query, status

from intake.api import schemas
from intake.api.deps import Events, Pool, PurposeHeader, Worker, purpose
from intake.api.persons import person_json
from intake.api.schemas import created, ok
from intake.domain.access import Level
from intake.domain.cases import CaseCloseIn, CaseIn, close_allowed
from intake.guard import case_access, household_access, lead_only, person_access, unit_of_work
from intake.opening import open_case
from intake.store import cases, consents, consultations, grants, persons
from kasane.audit import AccessEntry, record_access
from kasane.clock import today_jst
from kasane.events.intake import CaseClosed
from kasane.types import Offset
from kasane.web.errors import Refused

router = APIRouter(tags=["ケース cases"])


@router.post(
    "/cases",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses=created(schemas.CaseCreated),
)
async def start_case(
    body: CaseIn, principal: Worker, pool: Pool, events: Events, why: PurposeHeader = None
) -> dict[str, Any]:
    reason = purpose(why, "ケース開始")
    async with unit_of_work(pool) as conn:
        if body.household_id is not None:
            await household_access(
                conn, principal, body.household_id, action="link", purpose=reason
            )
        if body.primary_person_id is not None:
            await person_access(
                conn,
                principal,
                body.primary_person_id,
                action="link",
                purpose=reason,
                field="primary_person_id",
            )
        case_id = await open_case(
            conn,
            events,
            principal,
            household_id=body.household_id,
            primary_person_id=body.primary_person_id,
            opened_on=body.opened_on or today_jst(),
            school_district_code=body.school_district_code,
        )
        await record_access(
            conn,
            AccessEntry.by(
                principal,
                record_type="case",
                record_id=str(case_id),
                subject_id=str(case_id),
                action="create",
                purpose=reason,
                outcome="allowed",
                legal_basis="owner",
            ),
        )
    return {"case_id": str(case_id)}


@router.get("/cases", response_model=None, responses=ok(schemas.CaseList))
async def my_cases(
    principal: Worker,
    pool: Pool,
    status_filter: Annotated[str, Query(alias="status", pattern="^(open|closed|all)$")] = "open",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[Offset, Query()] = 0,
) -> dict[str, Any]:
    """Cases my agency leads (主担当). Ids and codes only: no personal data, no audit row."""
    rows = await pool.fetch(
        "SELECT id, status, opened_on, closed_on, issue_codes, between_systems,"
        " school_district_code FROM cases WHERE lead_agency_id = $1"
        " AND ($2 = 'all' OR status = $2) ORDER BY opened_on DESC, id LIMIT $3 OFFSET $4",
        principal.agency,
        status_filter,
        limit,
        offset,
    )
    return {
        "items": [{**dict(r), "case_id": str(r["id"])} for r in rows],
        "limit": limit,
        "offset": offset,
    }


def _consent_json(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "consent_id": str(row["id"]),
        "person_id": str(row["person_id"]),
        "scope": {
            "agencies": row["scope_agencies"],
            "programs": row["scope_programs"],
            "meeting_types": row["scope_meeting_types"],
        },
        "method": row["method"],
        "consented_on": row["consented_on"],
        "expires_on": row["expires_on"],
        "withdrawn_on": row["withdrawn_on"],
    }


@router.get("/cases/{case_id}", response_model=None, responses=ok(schemas.Case))
async def read_case(
    case_id: UUID, principal: Worker, pool: Pool, why: PurposeHeader = None
) -> dict[str, Any]:
    async with unit_of_work(pool) as conn:
        case, decision = await case_access(
            conn,
            principal,
            case_id,
            need=Level.CASE,
            action="read",
            purpose=purpose(why, "ケース閲覧"),
        )
        members = await persons.members(conn, case["household_id"]) if case["household_id"] else []
        rows = await consultations.for_case(conn, case_id)
        consent_rows = await consents.for_case(conn, case_id)
    return {
        "case_id": str(case_id),
        "status": case["status"],
        "lead_agency_id": case["lead_agency_id"],
        "household_id": str(case["household_id"]) if case["household_id"] else None,
        "primary_person_id": str(case["primary_person_id"]) if case["primary_person_id"] else None,
        "opened_on": case["opened_on"],
        "closed_on": case["closed_on"],
        "close_reason": case["close_reason"],
        "school_district_code": case["school_district_code"],
        "issue_codes": case["issue_codes"],
        "between_systems": case["between_systems"],
        "access": {"level": decision.level.name.lower(), "basis": decision.basis},
        "members": [
            {**person_json(m), "relationship": m["relationship"], "care_role": m["care_role"]}
            for m in members
        ],
        "consultations": [
            {
                "consultation_id": str(c["id"]),
                "agency_id": c["agency_id"],
                "received_at": c["received_at"],
                "channel": c["channel"],
                "consulted_by": c["consulted_by"],
                "issue_codes": c["issue_codes"],
                "urgency": c["urgency"],
                "narrative": c["narrative"],
                "outcome": c["outcome"],
                "between_systems": c["between_systems"],
                "between_systems_reason": c["between_systems_reason"],
            }
            for c in rows
        ],
        "consents": [_consent_json(c) for c in consent_rows],
    }


@router.post("/cases/{case_id}/close", response_model=None, responses=ok(schemas.CaseClosed))
async def close_case(
    case_id: UUID,
    body: CaseCloseIn,
    principal: Worker,
    pool: Pool,
    events: Events,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    async with unit_of_work(pool) as conn:
        reason = purpose(why, "ケース終結")
        case, decision = await case_access(
            conn, principal, case_id, need=Level.WORK, action="close", purpose=reason, lock=True
        )
        lead_only(
            principal,
            decision,
            record_type="case",
            record_id=case_id,
            subject_id=case_id,
            action="close",
            purpose=reason,
            field="case_id",
            reason="終結は主担当機関のみ / only the lead agency may close",
        )
        problem = close_allowed(case["status"], case["opened_on"], body.closed_on)
        if problem:
            raise Refused(409 if case["status"] != "open" else 422, "closed_on", problem)
        await cases.close_case(conn, case_id, body)
        # Meetings' sharing of the case ends at closure (referral and plan access end
        # through their own events).
        await grants.end_meeting_grants(conn, case_id, datetime.now(UTC), "case_closed")
        await events.emit(
            conn,
            CaseClosed(case_id=case_id, closed_on=body.closed_on, reason_code=body.reason),
            agency_id=principal.agency,
        )
    return {"case_id": str(case_id), "status": "closed"}
