"""ふりがな and 住所 normalisation."""

from __future__ import annotations

import pytest

from intake.domain.normalize import (
    is_kana,
    kanji_to_int,
    normalize_address,
    normalize_kana,
    to_hiragana,
)


@pytest.mark.parametrize(
    "spelling", ["くるめ たろう", "クルメ タロウ", "ｸﾙﾒ ﾀﾛｳ", "クルメ　タロウ", "くるめ・たろう"]
)
def test_kana_spellings_compare_equal(spelling: str) -> None:
    assert normalize_kana(spelling) == "くるめたろう"


def test_long_vowel_mark_is_kept() -> None:
    assert normalize_kana("ユーコ") == "ゆーこ"
    assert to_hiragana("ヴ") == "ゔ"


@pytest.mark.parametrize("text", ["くるめ", "クルメ タロウ", "ｸﾙﾒ", "ゆーこ"])
def test_is_kana_accepts_kana(text: str) -> None:
    assert is_kana(text)


@pytest.mark.parametrize("text", ["久留米", "kurume", "くるめ1", "", "   "])
def test_is_kana_rejects_everything_else(text: str) -> None:
    assert not is_kana(text)


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
