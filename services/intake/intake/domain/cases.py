"""Cases and 支援経過記録 (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from intake.domain.vocab import CloseReason, RecordKind
from kasane.clock import system_clock
from kasane.errors import Conflict, Invalid
from kasane.reference.school_districts import is_valid_school_district
from kasane.types import IsoDate, IsoDatetime, Text

_SKEW = timedelta(minutes=10)

OPEN_CASE_EXISTS = "この世帯には進行中のケースがあります / the household already has an open case"
CASE_CLOSED = "ケースは終結しています / the case is closed"


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    household_id: UUID | None = None
    primary_person_id: UUID | None = None
    opened_on: IsoDate | None = None
    school_district_code: str | None = None

    @field_validator("opened_on")
    @classmethod
    def _not_future(cls, value: date | None) -> date | None:
        if value is not None and value > system_clock().today():
            raise ValueError("開始日が未来です / opened_on is in the future")
        return value

    @field_validator("school_district_code")
    @classmethod
    def _district(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_school_district(value):
            raise ValueError(f"未知の校区コード / unknown school district code: {value}")
        return value


class CaseCloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: CloseReason
    closed_on: IsoDate
    note: Text | None = Field(default=None, max_length=2000)

    @field_validator("closed_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > system_clock().today():
            raise ValueError("終結日が未来です / closed_on is in the future")
        return value


class RecordIn(BaseModel):
    """One 支援経過記録 entry."""

    model_config = ConfigDict(extra="forbid")

    kind: RecordKind
    occurred_at: IsoDatetime
    body: Text = Field(min_length=1, max_length=8000)

    @field_validator("occurred_at")
    @classmethod
    def _not_future(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("タイムゾーン付きで指定 / occurred_at needs a UTC offset")
        if value - system_clock().now() > _SKEW:
            raise ValueError("日時が未来です / occurred_at is in the future")
        return value


def close_allowed(status: str, opened_on: date, closed_on: date) -> str | None:
    """Why the case cannot be closed, or None."""
    if status != "open":
        return "既に終結しています / the case is already closed"
    if closed_on < opened_on:
        return "終結日が開始日より前です / closed_on is before opened_on"
    return None


def ensure_open(status: str, field: str = "case_id") -> None:
    """Consultations, consents and records are added to an open case only."""
    if status != "open":
        raise Conflict(field, CASE_CLOSED)


def check_close(status: str, opened_on: date, closed_on: date) -> None:
    """Refuse a closing the case's state (409) or its dates (422) do not allow."""
    problem = close_allowed(status, opened_on, closed_on)
    if problem:
        raise (Conflict if status != "open" else Invalid)("closed_on", problem)
