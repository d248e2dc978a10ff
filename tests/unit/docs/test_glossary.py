"""The glossary names only identifiers that exist in the code.

A glossary entry whose identifier was renamed or removed misleads the next reader; this test
keeps ``docs/glossary.md`` and the code from drifting apart.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
GLOSSARY = REPO / "docs" / "glossary.md"
SOURCES = ("services", "shared")
SUFFIXES = {".py", ".sql", ".json"}


def glossary_identifiers() -> list[str]:
    found: list[str] = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[1] in ("identifier", "---"):
            continue
        found.extend(re.findall(r"`([^`]+)`", cells[1]))
    return found


@cache
def code_text() -> str:
    parts = []
    for top in SOURCES:
        for path in (REPO / top).rglob("*"):
            if path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def test_the_glossary_names_identifiers() -> None:
    assert len(glossary_identifiers()) >= 60


def test_every_identifier_in_the_glossary_exists_in_the_code() -> None:
    missing = [name for name in glossary_identifiers() if name not in code_text()]
    assert missing == []


def test_a_made_up_identifier_would_be_reported() -> None:
    assert "no_such_identifier_in_kasane" not in code_text()
