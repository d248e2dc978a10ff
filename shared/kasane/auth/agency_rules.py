"""Which roles an agency may hold: the rule every token verifier applies after the signature.

A signature only says the city's identity provider issued the token; it does not say the
claims make sense. A token for an agency that is not in the reference data
(``kasane.reference.agencies``), or with a role that agency's kind never has (a 社協
"counselor", a 包括 "auditor"), is refused as a whole (401) rather than trimmed to what
fits: a mis-provisioned account should fail loudly at sign-in, not act with half its roles.

Unknown roles are not checked here: verifiers drop roles this version does not know (an IdP
may add its own), and they grant nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kasane.auth.errors import InvalidToken
from kasane.auth.principal import ROLES
from kasane.reference.agencies import all_agencies, get_agency, is_known_agency

# 相談支援機関 do case work; 事業者 (社協, アソウ) coordinate programs; the city aggregates and
# audits. ``partner`` is a kind the city may add (e.g. an NPO joining case work): counselors.
ROLES_BY_KIND: Mapping[str, frozenset[str]] = {
    "consultation_agency": frozenset({"counselor", "coordinator", "manager"}),
    "program_operator": frozenset({"coordinator", "manager"}),
    "city_department": frozenset({"city_official", "auditor", "manager"}),
    "partner": frozenset({"counselor"}),
}


def check_claims(agency: object, roles: Iterable[object]) -> None:
    """Raise :class:`InvalidToken` unless ``agency`` is a known agency and every known role
    in ``roles`` fits its kind (and at least one known role is given)."""
    if not isinstance(agency, str) or not agency.strip():
        raise InvalidToken("agency claim is empty")
    if not is_known_agency(agency):
        raise InvalidToken(f"unknown agency {agency!r}")
    kind = get_agency(agency).kind
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
    return f"Roles by agency kind: {by_kind}. Agencies: {agencies}"
