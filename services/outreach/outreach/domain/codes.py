"""outreach's own code lists: English code → 日本語ラベル.

Their one home is ``kasane.reference.program_codes`` (the portal labels outreach's records
with the same lists); this module names them the way outreach's rules ask for them.
"""

from __future__ import annotations

from typing import Literal

from kasane.reference import program_codes
from kasane.reference.program_codes import ProgramList

CodeList = Literal["sources", "contact_methods", "contact_results", "stages", "end_reasons"]

_LISTS: dict[CodeList, ProgramList] = {
    "sources": "outreach_sources",
    "contact_methods": "outreach_contact_methods",
    "contact_results": "outreach_contact_results",
    "stages": "outreach_stages",
    "end_reasons": "outreach_end_reasons",
}


def labels(name: CodeList) -> dict[str, str]:
    return program_codes.labels(_LISTS[name])


def codes(name: CodeList) -> tuple[str, ...]:
    return tuple(labels(name))


def check(name: CodeList, code: str, what_ja: str) -> str:
    """For pydantic validators: the code, or a bilingual ValueError naming the list."""
    if code not in labels(name):
        raise ValueError(f"未知の{what_ja} / unknown {name} code: {code}")
    return code
