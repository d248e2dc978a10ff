"""Cases and 支援経過記録 (pure)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from intake.domain.vocab import CloseReason, RecordKind, ReopenReason
from kasane.errors import Conflict, Invalid
from kasane.types import (
    IsoDate,
    IsoDatetime,
    NotFuture,
    SchoolDistrictCode,
    Text,
    future_reason,
    not_future_datetime,
)

OPEN_CASE_EXISTS = "この世帯には進行中のケースがあります / the household already has an open case"
CASE_CLOSED = "ケースは終結しています / the case is closed"


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    household_id: UUID | None = None
    primary_person_id: UUID | None = None
    opened_on: Annotated[IsoDate, NotFuture("開始日", "opened_on")] | None = None
    school_district_code: SchoolDistrictCode | None = None


class CaseCloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: CloseReason
    closed_on: Annotated[IsoDate, NotFuture("終結日", "closed_on")]
    note: Text | None = Field(default=None, max_length=2000)


class CaseReopenIn(BaseModel):
    """ケース再開: why (a code from REOPEN_REASON_LABELS), when, and a note kept in intake."""

    model_config = ConfigDict(extra="forbid")

    reason: ReopenReason
    reopened_on: Annotated[IsoDate, NotFuture("再開日", "reopened_on")]
    note: Text | None = Field(default=None, max_length=2000)


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
        return not_future_datetime(value, future_reason("日時", "occurred_at"))


def close_allowed(
    status: str, opened_on: date, closed_on: date, reopened_on: date | None = None
) -> str | None:
    """Why the case cannot be closed, or None."""
    if status != "open":
        return "既に終結しています / the case is already closed"
    if closed_on < opened_on:
        return "終結日が開始日より前です / closed_on is before opened_on"
    # Strictly after: other services order a closure and a reopening by their dates alone,
    # and read a reopening on the closure's day as the later of the two.
    if reopened_on is not None and closed_on <= reopened_on:
        return "終結日は再開日より後の日付にしてください / closed_on must be after reopened_on"
    return None


NOT_CLOSED = "終結していないケースは再開できません / only a closed case can be reopened"


def reopen_allowed(status: str, closed_on: date | None, reopened_on: date) -> str | None:
    """Why the case cannot be reopened, or None."""
    if status != "closed" or closed_on is None:
        return NOT_CLOSED
    if reopened_on < closed_on:
        return "再開日が終結日より前です / reopened_on is before closed_on"
    return None


def check_reopen(status: str, closed_on: date | None, reopened_on: date) -> None:
    """Refuse a reopening the case's state (409) or its date (422) does not allow."""
    problem = reopen_allowed(status, closed_on, reopened_on)
    if problem == NOT_CLOSED:
        raise Conflict("case_id", problem)
    if problem:
        raise Invalid("reopened_on", problem)


def ensure_open(status: str, field: str = "case_id") -> None:
    """Consultations, consents and records are added to an open case only."""
    if status != "open":
        raise Conflict(field, CASE_CLOSED)


def check_close(
    status: str, opened_on: date, closed_on: date, reopened_on: date | None = None
) -> None:
    """Refuse a closing the case's state (409) or its dates (422) do not allow."""
    problem = close_allowed(status, opened_on, closed_on, reopened_on)
    if problem:
        raise (Conflict if status != "open" else Invalid)("closed_on", problem)
