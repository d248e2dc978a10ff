"""POST /consultations: 相談受付 (opens a case when none is given)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from intake.api import schemas
from intake.api.deps import Events, Pool, PurposeHeader, Worker, purpose
from intake.api.schemas import created
from intake.domain.access import Level
from intake.domain.consultations import (
    ESCALATIONS,
    ConsultationIn,
    consultation_received,
    merged_issue_codes,
)
from intake.guard import case_access, household_access, person_access, unit_of_work
from intake.opening import open_case
from intake.store import cases, consultations, queue
from kasane.audit import AccessEntry, record_access
from kasane.clock import JST
from kasane.events.intake import CaseClassified, CaseEscalated
from kasane.ids import uuid7
from kasane.reference.agencies import consultation_agencies
from kasane.reference.issue_codes import is_complex
from kasane.web.errors import Refused

router = APIRouter(tags=["相談受付 consultations"])


_CONSULTATION_AGENCIES = frozenset(a.id for a in consultation_agencies())


@router.post(
    "/consultations",
    status_code=status.HTTP_201_CREATED,
    responses=created(schemas.ConsultationCreated),
)
async def create_consultation(
    body: ConsultationIn, principal: Worker, pool: Pool, events: Events, why: PurposeHeader = None
) -> dict[str, Any]:
    if principal.agency not in _CONSULTATION_AGENCIES:
        raise Refused(
            403,
            "agency",
            "相談受付は相談支援機関のみ / only consultation agencies accept consultations",
        )
    reason = purpose(why, "相談受付")
    consultation_id = uuid7()
    # One transaction: rows, audit entries and events commit together or not at all.
    async with unit_of_work(pool) as conn:
        if body.person_id is not None:
            await person_access(conn, principal, body.person_id, action="link", purpose=reason)
        if body.case_id is not None:
            case, _ = await case_access(
                conn,
                principal,
                body.case_id,
                need=Level.CASE,
                action="update",
                purpose=reason,
                lock=True,
            )
            if case["status"] != "open":
                raise Refused(409, "case_id", "ケースは終結しています / the case is closed")
            case_id = body.case_id
            existing_codes = list(case["issue_codes"])
        else:
            if body.household_id is not None:
                await household_access(
                    conn, principal, body.household_id, action="link", purpose=reason
                )
            case_id = await open_case(
                conn,
                events,
                principal,
                household_id=body.household_id,
                primary_person_id=body.person_id,
                opened_on=body.received_at.astimezone(JST).date(),
                school_district_code=body.school_district_code,
            )
            existing_codes = []
        if body.concern_id is not None and not await queue.take(
            conn, body.concern_id, principal.agency, consultation_id
        ):
            raise Refused(
                409,
                "concern_id",
                "この見守り通報は受付待ちにありません / not pending in your queue",
            )
        event = consultation_received(consultation_id, principal.agency, body, case_id)
        await consultations.insert(
            conn,
            consultation_id,
            principal.agency,
            body,
            case_id=case_id,
            is_complex=event.is_complex,
            created_by=principal.sub,
        )
        await record_access(
            conn,
            AccessEntry.by(
                principal,
                record_type="consultation",
                record_id=str(consultation_id),
                subject_id=str(case_id),
                action="create",
                purpose=reason,
                outcome="allowed",
                legal_basis="owner",
            ),
        )
        await events.emit(conn, event, agency_id=principal.agency)
        codes = merged_issue_codes(existing_codes, body.issue_codes)
        if codes != existing_codes or body.is_between_systems:
            await cases.set_classification(conn, case_id, codes, body.is_between_systems)
            await events.emit(
                conn,
                CaseClassified(
                    case_id=case_id,
                    issue_codes=codes,
                    is_complex=is_complex(codes),
                    between_systems=body.is_between_systems,
                ),
                agency_id=principal.agency,
            )
        program = ESCALATIONS.get(body.outcome or "")
        if program is not None:
            await events.emit(
                conn,
                CaseEscalated(
                    case_id=case_id,
                    program=program,
                    reason_codes=body.issue_codes,
                    escalated_on=body.received_at.astimezone(JST).date(),
                    by_agency_id=principal.agency,
                ),
                agency_id=principal.agency,
            )
    return {"consultation_id": str(consultation_id), "case_id": str(case_id)}
