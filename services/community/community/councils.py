"""支え合い推進会議 (第2層協議体, one per 校区): what a held meeting record must hold."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from community import codes
from community.clock import today_jst
from kasane.events.community import SupportCouncilHeld
from kasane.reference.school_districts import is_valid_school_district
from kasane.types import Count, IsoDate, Text


class CouncilIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    school_district_code: str
    held_on: IsoDate
    participants: Count = Field(description="参加者数")
    topic_codes: list[str] = Field(default_factory=list, max_length=20)
    # 協議の記録. Meeting notes may name residents: kept here, never published.
    notes: Text | None = Field(default=None, max_length=4000)

    @field_validator("school_district_code")
    @classmethod
    def _district(cls, value: str) -> str:
        if not is_valid_school_district(value):
            raise ValueError(f"未知の校区コード / unknown school district code: {value}")
        return value

    @field_validator("held_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > today_jst():
            raise ValueError("開催日が未来です / held_on is in the future")
        return value

    @field_validator("participants")
    @classmethod
    def _participants(cls, value: int) -> int:
        if value < 0:
            raise ValueError("参加者数は0以上 / participants must not be negative")
        return value

    @field_validator("topic_codes")
    @classmethod
    def _topics(cls, value: list[str]) -> list[str]:
        for code in value:
            codes.check("council_topics", code, "協議テーマ")
        if len(set(value)) != len(value):
            raise ValueError("協議テーマが重複しています / duplicate topic codes")
        return value


def council_held(council_id: UUID, data: CouncilIn) -> SupportCouncilHeld:
    return SupportCouncilHeld(
        council_meeting_id=council_id,
        school_district_code=data.school_district_code,
        held_on=data.held_on,
        participants=data.participants,
        topic_codes=data.topic_codes,
    )
