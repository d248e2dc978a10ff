"""見守りネットワーク concern reports: what someone noticed, where, how urgent.

What was noticed and where is personal (it points at a household): it stays in community.
The event carries codes only; intake turns it into a pending consultation at the
responsible agency, which may then read the details here.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from community import codes
from community.clock import today_jst
from kasane.events.community import ConcernReported
from kasane.reference.issue_codes import is_valid_issue_code
from kasane.reference.school_districts import is_valid_school_district
from kasane.types import IsoDate, Text


class ConcernIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    school_district_code: str
    reporter_type: str  # business, minsei_iin, resident, fureai, other
    urgency: str = "normal"
    issue_codes: list[str] = Field(default_factory=list, max_length=18)
    noticed: Text = Field(min_length=1, max_length=4000, description="気づいたこと（個人情報）")
    location: Text = Field(min_length=1, max_length=400, description="場所（個人情報）")
    reporter_contact: str | None = Field(
        default=None, max_length=400, description="通報者の連絡先（個人情報、任意）"
    )
    reported_on: IsoDate | None = None  # default: today

    @field_validator("school_district_code")
    @classmethod
    def _district(cls, value: str) -> str:
        if not is_valid_school_district(value):
            raise ValueError(f"未知の校区コード / unknown school district code: {value}")
        return value

    @field_validator("reporter_type")
    @classmethod
    def _reporter(cls, value: str) -> str:
        return codes.check("reporter_types", value, "通報者の種別")

    @field_validator("urgency")
    @classmethod
    def _urgency(cls, value: str) -> str:
        return codes.check("urgencies", value, "緊急度")

    @field_validator("issue_codes")
    @classmethod
    def _issues(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if not is_valid_issue_code(c)]
        if unknown:
            raise ValueError(f"未知の課題コード / unknown issue code(s): {', '.join(unknown)}")
        if len(set(value)) != len(value):
            raise ValueError("課題コードが重複しています / duplicate issue codes")
        return value

    @field_validator("noticed", "location")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("空欄です / must not be blank")
        return value

    @field_validator("reported_on")
    @classmethod
    def _not_future(cls, value: date | None) -> date | None:
        if value is not None and value > today_jst():
            raise ValueError("通報日が未来です / reported_on is in the future")
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
