"""Ending an outreach (終結), e.g. by handing the person over through a referral.

The referral itself lives in the referral service; we keep its id so the hand-off can be
followed, and end with reason ``handed_over``.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.events.outreach import OutreachEnded
from kasane.types import IsoDate, Text
from kasane.web.errors import Refused
from outreach import codes
from outreach.clock import today_jst

HANDED_OVER = "handed_over"


class EndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_code: str
    ended_on: IsoDate | None = None  # default: today
    referral_id: UUID | None = None  # required when handed over
    note: Text | None = Field(default=None, max_length=2000)  # stays here

    @field_validator("reason_code")
    @classmethod
    def _reason(cls, value: str) -> str:
        return codes.check("end_reasons", value, "終了理由")

    @field_validator("ended_on")
    @classmethod
    def _not_future(cls, value: date | None) -> date | None:
        if value is not None and value > today_jst():
            raise ValueError("終了日が未来です / ended_on is in the future")
        return value


def check_end(data: EndIn, registered_on: date, today: date) -> date:
    """The end date, or a 422 naming the field."""
    if data.reason_code == HANDED_OVER and data.referral_id is None:
        raise Refused(
            422,
            "referral_id",
            "引継ぎにはつなぎ（referral_id）が必要 / handed_over needs referral_id",
        )
    ended_on = data.ended_on or today
    if ended_on < registered_on:
        raise Refused(422, "ended_on", "登録日より前です / ended_on is before registered_on")
    return ended_on


def ended(target_id: UUID, data: EndIn, ended_on: date) -> OutreachEnded:
    return OutreachEnded(target_id=target_id, ended_on=ended_on, reason_code=data.reason_code)
