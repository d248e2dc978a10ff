"""Folding names and ふりがな into one searchable form (pure): the one home of this rule.

Staff type the same person in many ways: 「やまだ　はなこ」, 「ﾔﾏﾀﾞ ﾊﾅｺ」, 「ヤマダ・ハナコ」,
「ヤマダハナコ」. Person search and duplicate detection compare the folded forms, so all of
these are the same key. Folding: NFKC (half-width ｶﾅ and full-width digits/letters to their
ordinary forms, ﾞ/ﾟ joined to their letter), ひらがな → カタカナ, spaces (half- and full-width)
and 中黒 removed. Kanji are left as they are, so the same rule folds a name written in kanji.
"""

from __future__ import annotations

import re
import unicodedata

# ぁ..ゖ and ゝゞ map to ァ..ヶ and ヽヾ: the two blocks are 0x60 apart.
_HIRAGANA_TO_KATAKANA = {c: c + 0x60 for c in [*range(0x3041, 0x3097), 0x309D, 0x309E]}
_KANA_OK = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u309d\u309e\u30fd\u30fe ]+$")
_SPACES = re.compile(r"[\s\u3000]+")
_NAKAGURO = "・"  # NFKC turns the half-width ･ into this one


def to_katakana(text: str) -> str:
    return text.translate(_HIRAGANA_TO_KATAKANA)


def fold(text: str) -> str:
    """The search key of a name or ふりがな: NFKC, カタカナ, no spaces, no 中黒."""
    folded = to_katakana(unicodedata.normalize("NFKC", text))
    return _SPACES.sub("", folded).replace(_NAKAGURO, "")


def is_kana(text: str) -> bool:
    """True for ふりがな: hiragana/katakana (any width), ー, ・ and spaces only."""
    folded = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return bool(folded) and bool(_KANA_OK.match(folded))
