"""Normalising 住所 so that spelling variants compare equal (pure).

Staff type the same address in many ways: 「三丁目五番地二号」, 「3丁目5-2」, 「３－５－２」.
Duplicate detection and person search compare these forms. Names and ふりがな are folded by
``kasane.kana`` (shared: the portal and other services search names the same way).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u3000]+")


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
