"""Which roles an agency may hold: the rule every token verifier applies after the signature.

A signature only says the city's identity provider issued the token; it does not say the
claims make sense. A token for an agency that is not in the reference data
(``kasane.reference.agencies``, or a 連携機関 in ``kasane.reference.partners``), or with
a role that agency's kind never has (a 社協 "counselor", a 包括 "auditor"), is refused
as a whole (401) rather than trimmed to what fits: a mis-provisioned account should fail
loudly at sign-in, not act with half its roles.

Unknown roles are not checked here: verifiers drop roles this version does not know (an IdP
may add its own), and they grant nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kasane.auth.errors import InvalidToken
from kasane.auth.principal import ROLES
from kasane.reference.agencies import all_agencies
from kasane.reference.partners import active_partners, get_partner, is_known_party, party_kind

# 相談支援機関 do case work; 事業者 (社協, アソウ) coordinate programs; the city aggregates and
# audits. A 連携機関's staff hold ``partner`` only: they answer referrals to them and read
# the meetings they are invited to, never the 体制's own case work
# (docs/architecture/partners.md).
ROLES_BY_KIND: Mapping[str, frozenset[str]] = {
    "consultation_agency": frozenset({"counselor", "coordinator", "manager"}),
    "program_operator": frozenset({"coordinator", "manager"}),
    "city_department": frozenset({"city_official", "auditor", "manager"}),
    "partner_organisation": frozenset({"partner"}),
}


def check_claims(agency: object, roles: Iterable[object]) -> None:
    """Raise :class:`InvalidToken` unless ``agency`` is a known agency and every known role
    in ``roles`` fits its kind (and at least one known role is given)."""
    if not isinstance(agency, str) or not agency.strip():
        raise InvalidToken("agency claim is empty")
    if not is_known_party(agency):
        raise InvalidToken(f"unknown agency {agency!r}")
    kind = party_kind(agency)
    if kind == "partner_organisation" and not get_partner(agency).active:
        # Its staff's accounts should have been closed with it: refuse, loudly.
        raise InvalidToken(f"partner {agency!r} is no longer active")
    known = {str(r) for r in roles} & set(ROLES)
    if not known:
        raise InvalidToken(f"no known role for agency {agency!r}")
    allowed = ROLES_BY_KIND.get(kind, frozenset())
    misfit = sorted(known - allowed)
    if misfit:
        raise InvalidToken(
            f"role(s) {', '.join(misfit)} do not fit agency {agency!r} ({kind}: "
            f"{', '.join(sorted(allowed)) or 'no roles'})"
        )


def describe_rule() -> str:
    """The rule in one line, for people minting tokens (``kasane token``)."""
    by_kind = "; ".join(f"{kind} → {', '.join(sorted(r))}" for kind, r in ROLES_BY_KIND.items())
    agencies = ", ".join(a.id for a in all_agencies())
    partners = ", ".join(p.id for p in active_partners())
    return f"Roles by agency kind: {by_kind}. Agencies: {agencies}. Partners: {partners}"
