"""What the API returns for a referral (summary in lists, the note only in the detail)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from kasane.types import IsoDate, IsoDatetime
from referral.domain import is_overdue


class ReferralSummary(BaseModel):
    referral_id: UUID
    case_id: UUID
    from_agency_id: str
    to_agency_id: str | None
    to_program: str | None
    receiver_agency_id: str
    reason_codes: list[str]
    legal_basis: str
    consent_id: UUID | None
    support_meeting_decision_id: UUID | None
    status: str
    requested_at: IsoDatetime
    due_on: IsoDate
    overdue: bool
    decided_at: IsoDatetime | None
    decline_reason_code: str | None
    completed_at: IsoDatetime | None
    outcome_code: str | None
    revoked_at: IsoDatetime | None
    revoke_reason_code: str | None


class ReferralDetail(ReferralSummary):
    note: str | None


class ReferralList(BaseModel):
    as_of: IsoDate
    items: list[ReferralSummary]


def _fields(row: asyncpg.Record, as_of: date) -> dict[str, object]:
    names = set(ReferralSummary.model_fields) - {"overdue"}
    return {
        **{n: row[n] for n in names},
        "reason_codes": list(row["reason_codes"]),
        "overdue": is_overdue(row["status"], row["due_on"], as_of),
    }


def summary(row: asyncpg.Record, as_of: date) -> ReferralSummary:
    return ReferralSummary.model_validate(_fields(row, as_of))


def detail(row: asyncpg.Record, as_of: date) -> ReferralDetail:
    return ReferralDetail.model_validate({**_fields(row, as_of), "note": row["note"]})
