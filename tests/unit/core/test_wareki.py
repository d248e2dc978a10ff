"""kasane.wareki: 和暦 printed and parsed, with the eras' real boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from kasane.fiscal_year import wareki_label
from kasane.wareki import WarekiError, era_of, fiscal_year_label, format_date, parse_date


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (date(2026, 12, 1), "令和8年12月1日", "R8.12.1"),
        (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
        (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
        (date(1926, 12, 24), "大正15年12月24日", "T15.12.24"),
        (date(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
        (date(1912, 7, 29), "明治45年7月29日", "M45.7.29"),
        (date(1868, 10, 23), "明治元年10月23日", "M1.10.23"),
    ],
)
def test_format_long_and_short(day: date, long: str, short: str) -> None:
    assert format_date(day) == long
    assert format_date(day, short=True) == short


def test_before_meiji_is_refused_in_japanese() -> None:
    with pytest.raises(WarekiError, match="明治より前"):
        format_date(date(1868, 10, 22))
    with pytest.raises(WarekiError):
        era_of(date(1800, 1, 1))


@pytest.mark.parametrize(
    ("fy", "label"),
    [
        (2026, "令和8年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
    ],
)
def test_fiscal_year_label(fy: int, label: str) -> None:
    assert fiscal_year_label(fy) == label


def test_the_fiscal_year_module_prints_through_the_one_era_table() -> None:
    for fy in (1989, 2018, 2019, 2026):
        assert wareki_label(fy) == fiscal_year_label(fy)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("令和8年12月1日", date(2026, 12, 1)),
        ("R8.12.1", date(2026, 12, 1)),
        ("r8/12/1", date(2026, 12, 1)),
        ("R8-12-01", date(2026, 12, 1)),
        ("令和８年１２月１日", date(2026, 12, 1)),
        ("Ｒ８．１２．１", date(2026, 12, 1)),
        ("令和 8年 12月 1日", date(2026, 12, 1)),
        ("S30.4.1", date(1955, 4, 1)),
        ("昭和30年4月1日", date(1955, 4, 1)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("明治元年10月23日", date(1868, 10, 23)),
        ("2026-12-01", date(2026, 12, 1)),
        ("2026/12/1", date(2026, 12, 1)),
        ("２０２６／１２／１", date(2026, 12, 1)),
        ("2026年12月1日", date(2026, 12, 1)),
    ],
)
def test_parse_accepts_wareki_and_seireki(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("平成31年5月1日", "平成の期間外"),  # that day is 令和元年5月1日
        ("昭和65年1月1日", "昭和の期間外"),
        ("平成元年1月7日", "平成の期間外"),  # still 昭和64年
        ("令和元年4月30日", "令和の期間外"),
        ("明治元年1月1日", "明治の期間外"),
        ("R8.2.30", "存在しない日付"),
        ("2026-13-01", "存在しない日付"),
        ("R0.1.1", "0年はありません"),
        ("令和8年", "日付として読めません"),
        ("X8.1.1", "日付として読めません"),
        ("", "日付として読めません"),
    ],
)
def test_parse_refuses_with_a_japanese_reason(text: str, reason: str) -> None:
    with pytest.raises(WarekiError, match=reason):
        parse_date(text)
