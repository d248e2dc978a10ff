"""meetings' own settings (``KASANE_MEETINGS_*``), beside the shared ``kasane.settings``."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from meetings.domain.calendar import HolidayPolicy


class MeetingsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KASANE_MEETINGS_", extra="ignore")

    # When the 4th Wednesday is a 祝日 (or closure day): hold it on the next business day
    # (default), the previous one, or keep the date and only flag it.
    holiday_policy: HolidayPolicy = HolidayPolicy.NEXT_BUSINESS_DAY
    # Generate this and next fiscal year's calendar at start-up (idempotent).
    generate_on_startup: bool = True


@lru_cache(maxsize=1)
def get_meetings_settings() -> MeetingsSettings:
    return MeetingsSettings()
