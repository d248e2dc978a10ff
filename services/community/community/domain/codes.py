"""community's own code lists: English code → 日本語ラベル.

Their one home is ``kasane.reference.program_codes`` (the portal labels community's records
and builds its forms' choices from the same lists); this module names them the way
community's rules ask for them. Shared lists (issue codes, 校区) are ``kasane.reference``'s
other tables.
"""

from __future__ import annotations

from typing import Literal

from kasane.reference import program_codes
from kasane.reference.program_codes import ProgramList

CodeList = Literal["reporter_types", "urgencies", "council_topics", "resource_categories"]

_LISTS: dict[CodeList, ProgramList] = {
    "reporter_types": "community_reporter_types",
    "urgencies": "community_urgencies",
    "council_topics": "community_council_topics",
    "resource_categories": "community_resource_categories",
}


def labels(name: CodeList) -> dict[str, str]:
    return program_codes.labels(_LISTS[name])


def is_valid(name: CodeList, code: str) -> bool:
    return code in labels(name)


def check(name: CodeList, code: str, what_ja: str) -> str:
    """For pydantic validators: the code, or a bilingual ValueError naming the list."""
    if not is_valid(name, code):
        raise ValueError(f"未知の{what_ja} / unknown {name} code: {code}")
    return code
