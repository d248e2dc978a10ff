"""Ending an outreach (終結), e.g. by handing the person over through a referral.

The referral itself lives in the referral service; we keep its id so the hand-off can be
followed, and end with reason ``handed_over``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.errors import Conflict, Invalid
from kasane.events.outreach import OutreachEnded
from kasane.types import IsoDate, NotFuture, Text
from outreach.domain import codes

HANDED_OVER = "handed_over"


class EndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_code: str
    ended_on: Annotated[IsoDate, NotFuture("終了日", "ended_on")] | None = None  # default: today
    referral_id: UUID | None = None  # required when handed over
    note: Text | None = Field(default=None, max_length=2000)  # stays here

    @field_validator("reason_code")
    @classmethod
    def _reason(cls, value: str) -> str:
        return codes.check("end_reasons", value, "終了理由")


def check_endable(status: str) -> None:
    if status != "open":
        raise Conflict("status", "終了済みです / the outreach has already ended")


def check_end(data: EndIn, registered_on: date, today: date) -> date:
    """The end date, or ``Invalid`` naming the field."""
    if data.reason_code == HANDED_OVER and data.referral_id is None:
        raise Invalid(
            "referral_id",
            "引継ぎにはつなぎ（referral_id）が必要 / handed_over needs referral_id",
        )
    ended_on = data.ended_on or today
    if ended_on < registered_on:
        raise Invalid("ended_on", "登録日より前です / ended_on is before registered_on")
    return ended_on


def ended(target_id: UUID, data: EndIn, ended_on: date) -> OutreachEnded:
    return OutreachEnded(target_id=target_id, ended_on=ended_on, reason_code=data.reason_code)
