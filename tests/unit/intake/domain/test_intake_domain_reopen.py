"""ケース再開's rules: only a closed case, never dated before its closure; and a closure after
a reopening is dated after it (other services order the two by date alone)."""

from __future__ import annotations

from datetime import date

import pytest

from intake.domain.cases import NOT_CLOSED, check_close, check_reopen
from kasane.errors import Conflict, Invalid

JULY, AUGUST = date(2025, 7, 1), date(2025, 8, 1)


def test_an_open_case_cannot_be_reopened() -> None:
    with pytest.raises(Conflict) as refused:
        check_reopen("open", None, AUGUST)
    assert (refused.value.field, refused.value.reason, refused.value.status) == (
        "case_id",
        NOT_CLOSED,
        409,
    )


def test_a_reopening_is_on_or_after_the_closure() -> None:
    check_reopen("closed", JULY, JULY)  # a closure made by mistake, undone the same day
    check_reopen("closed", JULY, AUGUST)
    with pytest.raises(Invalid) as refused:
        check_reopen("closed", AUGUST, JULY)
    assert refused.value.field == "reopened_on" and "再開日" in refused.value.reason


def test_a_closure_after_a_reopening_is_dated_after_it() -> None:
    check_close("open", JULY, date(2025, 8, 2), reopened_on=AUGUST)
    for same_or_before in (AUGUST, JULY):
        with pytest.raises(Invalid) as refused:
            check_close("open", JULY, same_or_before, reopened_on=AUGUST)
        assert refused.value.field == "closed_on" and "再開日" in refused.value.reason
