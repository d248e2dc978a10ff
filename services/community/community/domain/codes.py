"""community's own code lists (``codes.json``): English code → 日本語ラベル.

Shared lists (issue codes, 校区) come from :mod:`kasane.reference`; these are the ones only
community uses, so they live with it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Literal

CodeList = Literal["reporter_types", "urgencies", "council_topics", "resource_categories"]


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("codes.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {k: dict(v) for k, v in data.items() if k != "note"}


def labels(name: CodeList) -> dict[str, str]:
    return dict(_table()[name])


def is_valid(name: CodeList, code: str) -> bool:
    return code in _table()[name]


def check(name: CodeList, code: str, what_ja: str) -> str:
    """For pydantic validators: the code, or a bilingual ValueError naming the list."""
    if not is_valid(name, code):
        raise ValueError(f"未知の{what_ja} / unknown {name} code: {code}")
    return code
