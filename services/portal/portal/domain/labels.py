"""What staff read instead of codes, and the Japanese half of the services' reasons: one home
for every portal screen (the services' code lists live in kasane.reference)."""

from __future__ import annotations

from typing import Final

from kasane.reference import program_codes
from kasane.reference.agencies import all_agencies
from kasane.reference.issue_codes import issue_code_labels
from kasane.reference.partners import active_partners
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


# 見守りネットワーク concerns' 緊急度 (community's codes; intake's queue carries them too).
URGENCIES: Final[dict[str, str]] = program_codes.labels("community_urgencies")


def urgency_label(code: str) -> str:
    return URGENCIES.get(code, code)


def partner_label(name_ja: str) -> str:
    """A 連携機関 is marked as such wherever staff pick one beside the agencies."""
    return f"{name_ja}（連携機関）"


def consent_parties() -> dict[str, str]:
    """Everyone a 本人同意 may name as a recipient: the agencies (city departments last),
    then the active 連携機関 (intake accepts both; docs/architecture/partners.md)."""
    ordered = sorted(all_agencies(), key=lambda a: a.kind == "city_department")
    parties = {a.id: a.name_ja for a in ordered}
    parties.update({p.id: partner_label(p.name_ja) for p in active_partners()})
    return parties
