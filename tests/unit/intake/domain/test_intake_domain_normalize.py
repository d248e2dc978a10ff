"""住所 normalisation (names and ふりがな: tests/unit/core/test_kana.py)."""

from __future__ import annotations

import pytest

from intake.domain.normalize import kanji_to_int, normalize_address


@pytest.mark.parametrize(
    ("kanji", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十三", 23),
        ("百二", 102),
        ("一〇五", 105),
        ("千二百", 1200),
    ],
)
def test_kanji_numerals(kanji: str, value: int) -> None:
    assert kanji_to_int(kanji) == value


@pytest.mark.parametrize(
    "address",
    [
        "久留米市城南町三丁目五番地二号",
        "久留米市城南町3丁目5番2号",
        "久留米市城南町３－５－２",
        "久留米市 城南町 3-5-2",
        "久留米市城南町3丁目5-2",
        "久留米市城南町三丁目五の二",
    ],
)
def test_address_forms_compare_equal(address: str) -> None:
    assert normalize_address(address) == "久留米市城南町3-5-2"


def test_no_inside_a_place_name_survives() -> None:
    assert normalize_address("野の花町十五番地") == "野の花町15"
