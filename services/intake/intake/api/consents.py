"""本人同意: record on a case, withdraw (sharing on it stops at once)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, field_validator

from intake.api import schemas
from intake.api.deps import Events, Pool, PurposeHeader, Worker, purpose
from intake.api.schemas import created, ok
from intake.domain.access import Level
from intake.domain.consent import ConsentIn
from intake.guard import Denied, case_access, lead_only, unit_of_work
from intake.store import consents, persons
from kasane.audit import AccessEntry
from kasane.clock import today_jst
from kasane.events.intake import ConsentRecorded, ConsentWithdrawn
from kasane.ids import uuid7
from kasane.types import IsoDate
from kasane.web.errors import Refused

router = APIRouter(tags=["本人同意 consents"])


async def _persons_of_case(conn: Any, case: Any) -> set[UUID]:
    found = {case["primary_person_id"]} if case["primary_person_id"] else set()
    if case["household_id"]:
        found |= {m["id"] for m in await persons.members(conn, case["household_id"])}
    return found


@router.post(
    "/cases/{case_id}/consents",
    status_code=status.HTTP_201_CREATED,
    responses=created(schemas.ConsentCreated),
)
async def record_consent(
    case_id: UUID,
    body: ConsentIn,
    principal: Worker,
    pool: Pool,
    events: Events,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    consent_id = uuid7()
    async with unit_of_work(pool) as conn:
        reason = purpose(why, "本人同意の記録")
        case, decision = await case_access(
            conn,
            principal,
            case_id,
            need=Level.WORK,
            action="create",
            purpose=reason,
            record_type="consent",
            record_id=consent_id,
        )
        lead_only(
            principal,
            decision,
            record_type="consent",
            record_id=consent_id,
            subject_id=case_id,
            action="create",
            purpose=reason,
            field="case_id",
            reason="同意の記録は主担当機関のみ / only the lead agency",
        )
        if case["status"] != "open":
            raise Refused(409, "case_id", "ケースは終結しています / the case is closed")
        if body.person_id not in await _persons_of_case(conn, case):
            raise Refused(
                422, "person_id", "このケースの世帯員ではありません / not a member of the case"
            )
        await consents.insert(conn, consent_id, case_id, body, principal.sub, principal.agency)
        await events.emit(
            conn,
            ConsentRecorded(
                consent_id=consent_id,
                case_id=case_id,
                person_id=body.person_id,
                scope_agencies=body.scope.agencies,
                scope_programs=body.scope.programs,
                scope_meeting_types=body.scope.meeting_types,
                method=body.method,
                consented_on=body.consented_on,
                expires_on=body.expires_on,
            ),
            agency_id=principal.agency,
        )
    return {"consent_id": str(consent_id), "case_id": str(case_id)}


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    withdrawn_on: IsoDate

    @field_validator("withdrawn_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > today_jst():
            raise ValueError("撤回日が未来です / withdrawn_on is in the future")
        return value


@router.post(
    "/consents/{consent_id}/withdraw", response_model=None, responses=ok(schemas.ConsentWithdrawn)
)
async def withdraw_consent(
    consent_id: UUID,
    body: WithdrawIn,
    principal: Worker,
    pool: Pool,
    events: Events,
    why: PurposeHeader = None,
) -> dict[str, Any]:
    reason = purpose(why, "本人同意の撤回")
    async with unit_of_work(pool) as conn:
        row = await consents.get(conn, consent_id)
        if row is None:
            raise Denied(
                AccessEntry.by(
                    principal,
                    record_type="consent",
                    record_id=str(consent_id),
                    subject_id=str(consent_id),
                    action="withdraw",
                    purpose=reason,
                    outcome="denied",
                ),
                "consent_id",
            )
        _, decision = await case_access(
            conn,
            principal,
            row["case_id"],
            need=Level.WORK,
            action="withdraw",
            purpose=reason,
            record_type="consent",
            record_id=consent_id,
            field="consent_id",
        )
        lead_only(
            principal,
            decision,
            record_type="consent",
            record_id=consent_id,
            subject_id=row["case_id"],
            action="withdraw",
            purpose=reason,
            field="consent_id",
            reason="撤回の記録は主担当機関のみ / only the lead agency",
        )
        if row["withdrawn_on"] is not None:
            raise Refused(409, "consent_id", "既に撤回されています / already withdrawn")
        if body.withdrawn_on < row["consented_on"]:
            raise Refused(422, "withdrawn_on", "撤回日が同意日より前 / before consented_on")
        await consents.withdraw(conn, consent_id, body.withdrawn_on)
        await conn.execute(
            "UPDATE access_grants SET revoked_at = now()"
            " WHERE consent_id = $1 AND revoked_at IS NULL",
            consent_id,
        )
        await events.emit(
            conn,
            ConsentWithdrawn(
                consent_id=consent_id, case_id=row["case_id"], withdrawn_on=body.withdrawn_on
            ),
            agency_id=principal.agency,
        )
    return {"consent_id": str(consent_id), "withdrawn_on": body.withdrawn_on}
