"""A 連携機関's view of the case of a referral it holds (docs/architecture/partners.md).

Intake decides what a partner reads (``intake.domain.access``: the ``case`` level, through a
live referral, only for an organisation that may hold case access); these rules only keep
the portal from offering a link intake would refuse, and turn intake's answer into what the
partner's page shows. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kasane.auth.principal import Principal
from kasane.reference.partners import party_may_hold_case_access
from portal.domain.consult_labels import RELATIONSHIPS
from portal.domain.labels import district_name, issue_label, japanese
from portal.domain.navigation import agency_name, is_partner

# Intake keeps a referral grant live while the referral is requested or accepted (a partner
# reads "from the request, so it can decide whether to take the case"); declined, revoked
# and completed referrals end it.
LIVE_REFERRAL_STATUSES = frozenset({"requested", "accepted"})


def may_open_referral_case(referral: Mapping[str, Any], principal: Principal) -> bool:
    """Whether the referral page links to its case summary: the partner it is addressed to,
    whose organisation may hold case access, while the referral is live."""
    return (
        is_partner(principal)
        and party_may_hold_case_access(principal.agency)
        and referral.get("to_agency_id") == principal.agency
        and referral.get("status") in LIVE_REFERRAL_STATUSES
    )


@dataclass(frozen=True)
class Person:
    name: str
    kana: str
    relationship: str
    birth_date: date | str | None


@dataclass(frozen=True)
class CaseSummary:
    """What the partner's page shows: the case level as intake returned it to this partner."""

    case_id: str
    lead_agency: str
    opened_on: date | str | None
    district: str
    issues: list[str]
    persons: list[Person]
    closed: bool


def _person(member: Mapping[str, Any]) -> Person:
    relationship = str(member.get("relationship") or "")
    return Person(
        name=str(member.get("name") or ""),
        kana=str(member.get("kana") or ""),
        relationship=RELATIONSHIPS.get(relationship, relationship),
        birth_date=member.get("birth_date"),
    )


def summary(case: Mapping[str, Any]) -> CaseSummary:
    """Intake's ``GET /cases/{id}`` body → the page's model (labels, never raw codes).
    Consultations, consents and the timeline are left out: the partner works from the
    referral's reasons and note; the case level tells it who and where."""
    return CaseSummary(
        case_id=str(case.get("case_id", "")),
        lead_agency=agency_name(str(case.get("lead_agency_id", ""))),
        opened_on=case.get("opened_on"),
        district=district_name(case.get("school_district_code")),
        issues=[issue_label(str(c)) for c in case.get("issue_codes") or []],
        persons=[_person(m) for m in case.get("members") or [] if isinstance(m, Mapping)],
        closed=case.get("status") == "closed",
    )


DEFAULT_REFUSAL = "このケースは閲覧できません。"


def refusal(body: object) -> str:
    """A service's 403/404 body → the Japanese reason it gives (the first one)."""
    if isinstance(body, Mapping):
        for item in body.get("errors") or []:
            if isinstance(item, Mapping) and item.get("reason"):
                return japanese(str(item["reason"]))
        if body.get("message"):
            return japanese(str(body["message"]))
    return DEFAULT_REFUSAL
