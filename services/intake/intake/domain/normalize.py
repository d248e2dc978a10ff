"""Normalising ふりがな and 住所 so that spelling variants compare equal (pure).

Staff type the same person in many ways: カタカナ or ひらがな, half-width ｶﾅ, spaces or none;
「三丁目五番地二号」, 「3丁目5-2」, 「３－５－２」. Duplicate detection compares these forms.
"""

from __future__ import annotations

import re
import unicodedata

_KATAKANA_START, _KATAKANA_END = ord("ァ"), ord("ヶ")
_KANA_OK = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u309d\u309e\u30fd\u30fe ]+$")
_SPACES = re.compile(r"[\s\u3000]+")


def to_hiragana(text: str) -> str:
    return "".join(
        chr(ord(c) - 0x60) if _KATAKANA_START <= ord(c) <= _KATAKANA_END else c for c in text
    )


def is_kana(text: str) -> bool:
    """True for ふりがな: hiragana/katakana (any width), ー, ・ and spaces only."""
    folded = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return bool(folded) and bool(_KANA_OK.match(folded))


def normalize_kana(text: str) -> str:
    """NFKC (half-width → full-width), katakana → hiragana, no spaces or ・."""
    folded = unicodedata.normalize("NFKC", text)
    return _SPACES.sub("", to_hiragana(folded)).replace("・", "")


_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMBER = re.compile(r"[〇零一二三四五六七八九十百千]+")
_DASHES = re.compile(r"[‐‑‒–—―−ーｰ－-]")


def kanji_to_int(text: str) -> int:
    """「三」→3, 「十五」→15, 「二十」→20, 「百二」→102, 「一〇五」→105 (digit-by-digit)."""
    if not any(c in _KANJI_UNITS for c in text):
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c in _KANJI_DIGITS:
            current = _KANJI_DIGITS[c]
        else:
            total += (current or 1) * _KANJI_UNITS[c]
            current = 0
    return total + current


def normalize_address(text: str) -> str:
    """One comparable form: arabic numerals, 丁目/番地/番/号/の → '-', no spaces."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group())), folded)
    folded = _SPACES.sub("", folded)
    # Only between numbers: 「の」 inside a place name (e.g. 「野の花」) must survive.
    folded = re.sub(r"(?<=\d)(丁目|番地|番|号|の)(?=\d)", "-", folded)
    folded = re.sub(r"(?<=\d)(丁目|番地|番|号)$", "", folded)
    folded = re.sub(r"(?<=\d)" + _DASHES.pattern + r"(?=\d)", "-", folded)
    return folded
