"""Intake rules with no I/O: what a valid consultation is, and what it implies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.events.intake import ConsultationReceived
from kasane.reference.enumerations import is_valid
from kasane.reference.issue_codes import is_complex, is_valid_issue_code
from kasane.reference.school_districts import is_valid_school_district

JST = timezone(timedelta(hours=9))
# Clocks of field laptops drift; a consultation "from the future" beyond this is a typo.
_MAX_CLOCK_SKEW = timedelta(minutes=10)


class ConsultationIn(BaseModel):
    """相談受付 (thin slice): what staff submit. The agency comes from the token."""

    model_config = ConfigDict(extra="forbid")

    received_at: datetime
    issue_codes: list[str] = Field(min_length=1, max_length=18)
    age_band: str
    school_district_code: str
    channel: str

    @field_validator("received_at")
    @classmethod
    def _not_in_future(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            value = value.replace(tzinfo=JST)  # staff enter local (Japan) time
        if value - datetime.now(UTC) > _MAX_CLOCK_SKEW:
            raise ValueError("受付日時が未来です / received_at is in the future")
        return value

    @field_validator("issue_codes")
    @classmethod
    def _known_issue_codes(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if not is_valid_issue_code(c)]
        if unknown:
            raise ValueError(f"未知の課題コード / unknown issue code(s): {', '.join(unknown)}")
        if len(set(value)) != len(value):
            raise ValueError("課題コードが重複しています / duplicate issue codes")
        return value

    @field_validator("age_band")
    @classmethod
    def _known_age_band(cls, value: str) -> str:
        if not is_valid("age_bands", value):
            raise ValueError(
                "年代は 0-9, 10-19, …, 90+ のいずれか / age_band must be a decade band"
            )
        return value

    @field_validator("school_district_code")
    @classmethod
    def _known_district(cls, value: str) -> str:
        if not is_valid_school_district(value):
            raise ValueError(f"未知の校区コード / unknown school district code: {value}")
        return value

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, value: str) -> str:
        if not is_valid("channels", value):
            raise ValueError(f"未知の受付経路 / unknown channel: {value}")
        return value


def consultation_received(
    consultation_id: UUID, agency_id: str, data: ConsultationIn
) -> ConsultationReceived:
    return ConsultationReceived(
        consultation_id=consultation_id,
        agency_id=agency_id,
        received_at=data.received_at,
        channel=data.channel,
        issue_codes=data.issue_codes,
        age_band=data.age_band,
        school_district_code=data.school_district_code,
        is_complex=is_complex(data.issue_codes),
    )
