"""kasane.kana: one search key for every way staff type a name or ふりがな."""

from __future__ import annotations

import pytest

from kasane.kana import fold, is_kana, to_katakana


@pytest.mark.parametrize(
    "spelling",
    [
        "やまだ　はなこ",
        "ﾔﾏﾀﾞ ﾊﾅｺ",
        "ヤマダハナコ",
        "ヤマダ・ハナコ",
        "やまだ･はなこ",
        " ヤマダ ハナコ ",
    ],
)
def test_hiragana_half_width_and_spaced_forms_fold_to_one_key(spelling: str) -> None:
    assert fold(spelling) == "ヤマダハナコ"


def test_voiced_half_width_kana_join_their_mark() -> None:
    # ﾊﾟ is two code points; NFKC makes it one, so パ matches.
    assert fold("ﾊﾟﾝﾀﾞ") == "パンダ"


def test_long_vowel_mark_and_iteration_marks_survive() -> None:
    assert fold("ゆーこ") == "ユーコ"
    assert to_katakana("ゔゝゞ") == "ヴヽヾ"


def test_kanji_names_keep_their_kanji_and_lose_spaces() -> None:
    assert fold("山田　花子") == fold("山田 花子") == "山田花子"
    assert fold("ＡＢＣ１２") == "ABC12"


@pytest.mark.parametrize("text", ["くるめ", "クルメ タロウ", "ｸﾙﾒ", "ゆーこ", "やまだ・はなこ"])
def test_is_kana_accepts_kana(text: str) -> None:
    assert is_kana(text)


@pytest.mark.parametrize("text", ["久留米", "kurume", "くるめ1", "", "   "])
def test_is_kana_rejects_everything_else(text: str) -> None:
    assert not is_kana(text)
