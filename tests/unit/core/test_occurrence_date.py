"""The shared rule for an act's occurrence date (issue 18): today by default, never in the
future, never before what the act belongs to; a refusal is a 422 naming the field."""

from __future__ import annotations

from datetime import date

import pytest

from kasane.errors import Invalid
from kasane.occurrence import occurrence_date

TODAY = date(2026, 4, 10)


def _day(given: date | None, not_before: date | None = date(2025, 6, 2)) -> date:
    return occurrence_date(
        given,
        today=TODAY,
        field="requested_on",
        what_ja="依頼日",
        not_before=not_before,
        before_ja="ケース開始日",
    )


def test_defaults_to_today() -> None:
    assert _day(None) == TODAY


def test_a_past_day_in_the_previous_fiscal_year_is_kept() -> None:
    assert _day(date(2025, 11, 20)) == date(2025, 11, 20)


def test_the_bounds_themselves_are_allowed() -> None:
    assert _day(date(2025, 6, 2)) == date(2025, 6, 2)
    assert _day(TODAY) == TODAY


def test_a_future_day_is_refused_naming_the_field_in_japanese() -> None:
    with pytest.raises(Invalid) as refused:
        _day(date(2026, 4, 11))
    assert refused.value.field == "requested_on"
    assert "依頼日が未来です" in refused.value.reason


def test_a_day_before_what_it_belongs_to_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        _day(date(2025, 6, 1))
    assert refused.value.field == "requested_on"
    assert "ケース開始日（2025-06-02）より前です" in refused.value.reason


def test_no_lower_bound_when_none_is_known() -> None:
    assert _day(date(2020, 1, 1), not_before=None) == date(2020, 1, 1)
