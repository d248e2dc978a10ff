"""outreach's own code lists (``codes.json``): English code → 日本語ラベル."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Literal

CodeList = Literal["sources", "contact_methods", "contact_results", "stages", "end_reasons"]


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("codes.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {k: dict(v) for k, v in data.items() if k != "note"}


def labels(name: CodeList) -> dict[str, str]:
    return dict(_table()[name])


def codes(name: CodeList) -> tuple[str, ...]:
    return tuple(_table()[name])


def check(name: CodeList, code: str, what_ja: str) -> str:
    """For pydantic validators: the code, or a bilingual ValueError naming the list."""
    if code not in _table()[name]:
        raise ValueError(f"未知の{what_ja} / unknown {name} code: {code}")
    return code
