"""Due dates in business days (weekends, 祝日, 年末年始 excluded) and overdue."""

from __future__ import annotations

from datetime import date

import pytest

from referral.domain.referrals import due_on, is_overdue
from referral.settings import ReferralSettings


def test_five_business_days_skip_a_weekend() -> None:
    # Tue 2025-07-01 + 5 business days = Tue 2025-07-08.
    assert due_on(date(2025, 7, 1), 5) == date(2025, 7, 8)


def test_public_holidays_are_skipped() -> None:
    # Fri 2025-07-11; Mon 07-21 is 海の日: +5 → Fri 07-18, then +1 → Tue 07-22.
    assert due_on(date(2025, 7, 11), 5) == date(2025, 7, 18)
    assert due_on(date(2025, 7, 11), 6) == date(2025, 7, 22)


def test_year_end_closure_is_skipped() -> None:
    # Fri 2025-12-26: 12/29–1/3 closed, 1/3 is Sat; next business days 1/5…1/9 (1/12 成人の日).
    assert due_on(date(2025, 12, 26), 5) == date(2026, 1, 9)


def test_golden_week() -> None:
    # Mon 2025-04-28; 4/29 昭和の日, 5/3–5/6 holidays: 4/30, 5/1, 5/2, 5/7, 5/8.
    assert due_on(date(2025, 4, 28), 5) == date(2025, 5, 8)


def test_overdue_only_while_requested_and_after_due() -> None:
    due = date(2025, 7, 8)
    assert not is_overdue("requested", due, due)
    assert is_overdue("requested", due, date(2025, 7, 9))
    for status in ("accepted", "declined", "completed", "revoked"):
        assert not is_overdue(status, due, date(2026, 1, 1))


def test_due_days_setting_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ReferralSettings().due_business_days == 5
    monkeypatch.setenv("KASANE_REFERRAL_DUE_BUSINESS_DAYS", "10")
    assert ReferralSettings().due_business_days == 10
    monkeypatch.setenv("KASANE_REFERRAL_DUE_BUSINESS_DAYS", "0")
    with pytest.raises(ValueError):
        ReferralSettings()
