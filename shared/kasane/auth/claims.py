"""From verified claims to a Principal: the one function every token verifier ends in.

Whatever signed the token (the city's Ed25519 key, Keycloak, Entra ID, AD FS), the same
rules apply here: the subject, the agency and the roles are read (under configurable claim
names), the agency must be known and the roles must fit its kind (kasane.auth.agency_rules),
and roles this version does not know grant nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kasane.auth.agency_rules import check_claims
from kasane.auth.errors import InvalidToken
from kasane.auth.principal import ROLES, Principal


@dataclass(frozen=True)
class ClaimNames:
    """Where an issuer puts the agency and the roles.

    ``roles`` is a dotted path, so Keycloak's default ``realm_access.roles`` works as well
    as a flat ``roles`` (kasane's realm, Entra ID app roles) or ``groups``.
    """

    agency: str = "agency"
    roles: str = "roles"


DEFAULT_CLAIMS = ClaimNames()


def claim_at(claims: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or None ("realm_access.roles" → claims[...][...])."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _as_list(value: Any) -> list[str] | None:
    # Strictly a list: a bare string would be iterated as letters by careless code.
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def principal_from_claims(
    claims: Mapping[str, Any], names: ClaimNames = DEFAULT_CLAIMS
) -> Principal:
    """The Principal of already verified claims, or InvalidToken (→ 401)."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise InvalidToken("token lacks the sub claim")
    agency = claim_at(claims, names.agency)
    roles = _as_list(claim_at(claims, names.roles))
    if isinstance(agency, list) and len(agency) == 1:
        agency = agency[0]  # a multivalued attribute mapper with one value
    if not isinstance(agency, str) or roles is None:
        raise InvalidToken(
            f"token lacks the agency ({names.agency}) or roles ({names.roles}) claim"
        )
    check_claims(agency, roles)
    # Roles this version does not know grant nothing (an IdP may add its own).
    known = frozenset(roles) & frozenset(ROLES)
    return Principal(sub=sub, agency=agency, roles=known)
