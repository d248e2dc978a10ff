"""見守りネットワーク concern reports: what someone noticed, where, how urgent.

What was noticed and where is personal (it points at a household): it stays in community.
The event carries codes only; intake turns it into a pending consultation at the
responsible agency, which may then read the details here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from community.domain import codes
from kasane.events.community import ConcernReported
from kasane.reference.agencies import operators_of
from kasane.types import IsoDate, IssueCodes, NotFuture, SchoolDistrictCode, Text

RECORD_TYPE = "concern"  # access-audit record type
PURPOSE = "見守りネットワーク通報"


class ConcernIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    school_district_code: SchoolDistrictCode
    reporter_type: str  # business, minsei_iin, resident, fureai, other
    urgency: str = "normal"
    issue_codes: IssueCodes = Field(default_factory=list, max_length=18)
    noticed: Text = Field(min_length=1, max_length=4000, description="気づいたこと（個人情報）")
    location: Text = Field(min_length=1, max_length=400, description="場所（個人情報）")
    reporter_contact: str | None = Field(
        default=None, max_length=400, description="通報者の連絡先（個人情報、任意）"
    )
    reported_on: Annotated[IsoDate, NotFuture("通報日", "reported_on")] | None = None  # 既定: 今日

    @field_validator("reporter_type")
    @classmethod
    def _reporter(cls, value: str) -> str:
        return codes.check("reporter_types", value, "通報者の種別")

    @field_validator("urgency")
    @classmethod
    def _urgency(cls, value: str) -> str:
        return codes.check("urgencies", value, "緊急度")

    @field_validator("noticed", "location")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("空欄です / must not be blank")
        return value


def concern_reported(concern_id: UUID, data: ConcernIn, reported_on: date) -> ConcernReported:
    return ConcernReported(
        concern_id=concern_id,
        school_district_code=data.school_district_code,
        reporter_type=data.reporter_type,
        urgency=data.urgency,
        issue_codes=data.issue_codes,
        reported_on=reported_on,
    )


def may_read(agency: str, owner: str, granted: set[str]) -> bool:
    """The operator that took the report, or an agency whose intake queued it."""
    return agency == owner or agency in granted


def legal_basis(agency: str) -> Literal["owner", "concern_queue"]:
    """Why an agency touches a concern: the operator took it; anyone else was queued it."""
    return "owner" if agency in {a.id for a in operators_of("community")} else "concern_queue"
