"""What staff read instead of codes, and the Japanese half of the services' reasons: one home
for every portal screen (the services' code lists live in kasane.reference)."""

from __future__ import annotations

from typing import Final

from kasane.reference.issue_codes import issue_code_labels
from kasane.reference.school_districts import get_school_district, is_valid_school_district


def japanese(reason: str) -> str:
    """The staff-facing half of the services' bilingual "日本語 / English" reasons."""
    return reason.split(" / ", 1)[0].strip()


def issue_label(code: str) -> str:
    return issue_code_labels().get(code, code)


def district_name(code: str | None) -> str:
    """A 校区's name; an unknown code as it is (never an error on a page)."""
    if not code:
        return ""
    return get_school_district(code).name_ja if is_valid_school_district(code) else code


# 見守りネットワーク concerns' 緊急度 (community's contract codes; intake's queue repeats them).
URGENCIES: Final[dict[str, str]] = {"normal": "通常", "urgent": "至急"}


def urgency_label(code: str) -> str:
    return URGENCIES.get(code, code)
