from datetime import date, datetime

import pytest

from kasane.fiscal_year import (
    fiscal_year_bounds,
    fiscal_year_of,
    parse_fiscal_year,
    wareki_label,
    western_label,
)


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (date(2025, 4, 1), 2025),
        (date(2026, 1, 1), 2025),
        (date(2025, 12, 31), 2025),
        (date(2019, 4, 30), 2019),
    ],
)
def test_fiscal_year_of_boundaries(day: date, fy: int) -> None:
    assert fiscal_year_of(day) == fy


def test_datetime_uses_its_own_date() -> None:
    assert fiscal_year_of(datetime(2026, 3, 31, 23, 59)) == 2025


def test_bounds_are_inclusive_april_to_march() -> None:
    assert fiscal_year_bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    first, last = fiscal_year_bounds(2027)  # 2028 is a leap year; March still ends on 31
    assert fiscal_year_of(first) == fiscal_year_of(last) == 2027


@pytest.mark.parametrize(
    ("fy", "label"),
    [
        (2025, "令和7年度"),
        (2018, "平成30年度"),
        (2019, "令和元年度"),
        (2020, "令和2年度"),
        (1989, "平成元年度"),
        (1990, "平成2年度"),
    ],
)
def test_wareki_label(fy: int, label: str) -> None:
    assert wareki_label(fy) == label
    assert parse_fiscal_year(label) == fy


def test_western_label_both_ways() -> None:
    assert western_label(2025) == "FY2025"
    assert parse_fiscal_year("FY2025") == 2025


def test_design_equivalences() -> None:
    assert parse_fiscal_year("FY2025") == parse_fiscal_year("令和7年度")
    assert parse_fiscal_year("H30") == 2018
    assert parse_fiscal_year("H31") == parse_fiscal_year("R1") == 2019


@pytest.mark.parametrize(
    ("label", "fy"),
    [
        ("2025", 2025),
        ("2025年度", 2025),
        ("fy2025", 2025),
        ("R7", 2025),
        ("r7", 2025),
        ("R07", 2025),
        ("H30", 2018),
        ("平成30年度", 2018),
        ("平成31年度", 2019),
        ("令和元年度", 2019),
        ("H31", 2019),
        ("R1", 2019),
        ("令和７年度", 2025),
        ("ＦＹ２０２５", 2025),
        ("Ｒ７", 2025),
        (" 令和 7 年度 ", 2025),
        ("H31･R1", 2019),  # the seed's own spelling (half-width middle dot)
        ("H31・R1", 2019),
    ],
)
def test_parse_accepted_spellings(label: str, fy: int) -> None:
    assert parse_fiscal_year(label) == fy


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "unrecognised"),
        ("令和", "unrecognised"),
        ("昭和60年度", "unrecognised"),
        ("2025-26", "unrecognised"),
        ("R7年", "unrecognised"),
        ("FY25", "unrecognised"),
        ("H32", "平成 ends"),
        ("平成32年度", "平成 ends"),
        ("R0", "1 or more"),
        ("FY1988", "before 平成"),
        ("H30・R1", "different fiscal years"),
        ("R1・H31・R1", "unrecognised"),
    ],
)
def test_parse_errors_are_value_errors_with_reason(label: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_fiscal_year(label)


def test_labels_before_heisei_are_rejected() -> None:
    with pytest.raises(ValueError, match="before 平成"):
        wareki_label(1988)


def test_round_trip_over_supported_range() -> None:
    for fy in range(1989, 2100):
        assert parse_fiscal_year(wareki_label(fy)) == fy
        assert parse_fiscal_year(western_label(fy)) == fy
