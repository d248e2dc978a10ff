"""支え合い推進会議 (第2層協議体, one per 校区): what a held meeting record must hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from community.domain import codes
from kasane.errors import Conflict
from kasane.events.community import SupportCouncilHeld
from kasane.types import Count, IsoDate, NotFuture, SchoolDistrictCode, Text


class CouncilIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    school_district_code: SchoolDistrictCode
    held_on: Annotated[IsoDate, NotFuture("開催日", "held_on")]
    participants: Count = Field(description="参加者数")
    topic_codes: list[str] = Field(default_factory=list, max_length=20)
    # 協議の記録. Meeting notes may name residents: kept here, never published.
    notes: Text | None = Field(default=None, max_length=4000)

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


def already_held() -> Conflict:
    return Conflict(
        "held_on", "この校区・日付の会議は登録済みです / a meeting of this 校区 on this day exists"
    )


@dataclass(frozen=True)
class Tally:
    meetings: int
    participants: int
    by_school_district: dict[str, int]  # meetings per 校区


def tally(meetings: Iterable[tuple[str, int]]) -> Tally:
    """Totals of held meetings given as ``(校区, participants)``."""
    count, participants, by_district = 0, 0, dict[str, int]()
    for district, people in meetings:
        count += 1
        participants += people
        by_district[district] = by_district.get(district, 0) + 1
    return Tally(meetings=count, participants=participants, by_school_district=by_district)
