"""meetings' own settings (``KASANE_MEETINGS_*``), beside the shared ``kasane.settings``."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from meetings.domain.calendar import HolidayPolicy


class MeetingsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KASANE_MEETINGS_", extra="ignore")

    # When the 4th Wednesday is a 祝日 (or closure day): hold it on the next business day
    # (default), the previous one, or keep the date and only flag it.
    holiday_policy: HolidayPolicy = HolidayPolicy.NEXT_BUSINESS_DAY
    # Generate this and next fiscal year's calendar at start-up (idempotent).
    generate_on_startup: bool = True
    # How long a meeting decision lets the members it shared a case with read it in intake:
    # this many days after the meeting (the city sets it; a later decision renews it). The
    # grant also ends earlier at case closure and when the case's plan ends.
    sharing_days: int = Field(default=90, ge=1, le=366)


@lru_cache(maxsize=1)
def get_meetings_settings() -> MeetingsSettings:
    return MeetingsSettings()
