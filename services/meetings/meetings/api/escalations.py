"""GET /escalations: cases intake escalated to 多機関協働 with no plan yet (社協's list)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from meetings.api.deps import Coordinator, Pool
from meetings.usecases import reports

router = APIRouter(tags=["つなぎ escalations"])


class EscalationOut(BaseModel):
    case_id: str
    escalated_on: date
    by_agency_ids: list[str]
    reason_codes: list[str]


@router.get("/escalations")
async def open_escalations(principal: Coordinator, pool: Pool) -> list[EscalationOut]:
    """Ids, dates and codes only (the case itself is read through intake)."""
    return [
        EscalationOut(
            case_id=str(e.case_id),
            escalated_on=e.escalated_on,
            by_agency_ids=e.by_agency_ids,
            reason_codes=e.reason_codes,
        )
        for e in await reports.open_escalations(pool)
    ]
