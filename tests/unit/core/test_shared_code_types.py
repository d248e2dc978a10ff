"""The shared 校区, 年代, 課題コード and "not in the future" rules of ``kasane.types``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from kasane.clock import JST, FixedClock, set_clock
from kasane.errors import Invalid
from kasane.reference.issue_codes import issue_codes
from kasane.types import (
    AgeBandCode,
    IsoDate,
    IssueCodes,
    NotFuture,
    SchoolDistrictCode,
    check_not_future,
    check_school_district,
    future_reason,
    not_future,
    not_future_datetime,
)

TODAY = date(2025, 7, 1)


@pytest.fixture(autouse=True)
def pinned_today() -> Iterator[None]:
    set_clock(FixedClock(datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=JST)))  # noon JST
    yield
    set_clock(None)


class Body(BaseModel):
    school_district_code: SchoolDistrictCode | None = None
    age_band: AgeBandCode | None = None
    issue_codes: IssueCodes = []
    held_on: Annotated[IsoDate, NotFuture("開催日", "held_on")] | None = None


def _only_error(**fields: object) -> tuple[tuple[str | int, ...], str]:
    with pytest.raises(ValidationError) as caught:
        Body.model_validate(fields)
    (error,) = caught.value.errors()
    return error["loc"], str(error["msg"])


def test_a_known_school_district_passes_and_an_unknown_one_is_named() -> None:
    assert Body(school_district_code="01").school_district_code == "01"
    loc, msg = _only_error(school_district_code="99")
    assert loc == ("school_district_code",)
    assert msg.endswith("未知の校区コード / unknown school district code: 99")


def test_check_school_district_refuses_with_422_naming_the_field() -> None:
    assert check_school_district("01") == "01"
    with pytest.raises(Invalid) as refused:
        check_school_district("99", "district")
    assert (refused.value.status, refused.value.field) == (422, "district")
    assert "未知の校区コード" in refused.value.reason


def test_age_band_is_a_decade_band_never_an_age() -> None:
    assert Body(age_band="90+").age_band == "90+"
    loc, msg = _only_error(age_band="42")
    assert loc == ("age_band",)
    assert msg.endswith("年代は 0-9, 10-19, …, 90+ のいずれか / age_band must be a decade band")


def test_issue_codes_must_be_known_and_distinct() -> None:
    code = issue_codes()[0].code
    assert Body(issue_codes=[code]).issue_codes == [code]
    loc, msg = _only_error(issue_codes=["no-such-code"])
    assert loc == ("issue_codes",)
    assert msg.endswith("未知の課題コード / unknown issue code(s): no-such-code")


def test_duplicate_issue_codes_are_refused() -> None:
    code = issue_codes()[0].code
    loc, msg = _only_error(issue_codes=[code, code])
    assert loc == ("issue_codes",)
    assert msg.endswith("課題コードが重複しています / duplicate issue codes")


def test_not_future_reads_the_pinned_clock() -> None:
    assert not_future(TODAY, "r") == TODAY
    assert not_future(None, "r") is None
    with pytest.raises(ValueError, match=r"^r$"):
        not_future(TODAY + timedelta(days=1), "r")
    set_clock(FixedClock(TODAY + timedelta(days=1)))
    assert not_future(TODAY + timedelta(days=1), "r") == TODAY + timedelta(days=1)


def test_not_future_annotation_gives_the_standard_reason() -> None:
    assert Body(held_on=TODAY).held_on == TODAY
    loc, msg = _only_error(held_on="2025-07-02")
    assert loc == ("held_on",)
    assert msg.endswith("開催日が未来です / held_on is in the future")
    assert future_reason("開催日", "held_on") == "開催日が未来です / held_on is in the future"


def test_check_not_future_refuses_with_422_naming_the_field() -> None:
    check_not_future(TODAY, "reached_on", "r", TODAY)
    with pytest.raises(Invalid) as refused:
        check_not_future(TODAY + timedelta(days=1), "reached_on", "r")
    assert (refused.value.status, refused.value.field, refused.value.reason) == (
        422,
        "reached_on",
        "r",
    )


def test_a_time_may_run_ahead_by_clock_skew_and_naive_times_are_japanese() -> None:
    noon = datetime(2025, 7, 1, 12, tzinfo=JST)
    assert not_future_datetime(noon + timedelta(minutes=9), "r") == noon + timedelta(minutes=9)
    with pytest.raises(ValueError, match=r"^r$"):
        not_future_datetime(noon + timedelta(minutes=11), "r")
    naive = not_future_datetime(datetime(2025, 7, 1, 12, 5), "r")
    assert naive.tzinfo is JST
    # 03:05 UTC is 12:05 JST: inside the skew, not "nine hours ahead".
    assert not_future_datetime(datetime(2025, 7, 1, 3, 5, tzinfo=UTC), "r").hour == 3


SERVICES = Path(__file__).resolve().parents[3] / "services"
# What each copy that used to live in the services said; the rule now lives in kasane.
COPY_MARKERS = (
    "未知の校区コード",  # 校区 → kasane.types.SchoolDistrictCode / check_school_district
    "age_band must be a decade band",  # 年代 → kasane.types.AgeBandCode
    "unknown issue code(s)",  # 課題コード lists → kasane.types.IssueCodes
    "_PROGRAM_SERVICE",  # program → operator → kasane.reference.agencies
    "def program_operator",
)


@pytest.mark.parametrize("marker", COPY_MARKERS)
def test_no_service_keeps_its_own_copy_of_a_shared_rule(marker: str) -> None:
    holders = [
        str(path.relative_to(SERVICES))
        for path in SERVICES.rglob("*.py")
        if "migrations" not in path.parts and marker in path.read_text(encoding="utf-8")
    ]
    assert holders == []
