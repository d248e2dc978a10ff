"""Referral's own settings (``KASANE_REFERRAL_*``), beside the shared ``kasane.settings``."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReferralSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KASANE_REFERRAL_", extra="ignore")

    # 受理期限: business days after the request (weekends, 祝日 and 年末年始 excluded).
    due_business_days: int = Field(default=5, ge=1, le=60)


@lru_cache(maxsize=1)
def get_referral_settings() -> ReferralSettings:
    return ReferralSettings()
