"""The managers' view (pure): who may read one agency's monthly figures.

A 委託先 (an agency the city contracts: a consultation agency or a program operator) sees its
own monthly figures through its manager; city officials, who read every figure anyway, may
read any agency's. Nobody else, and never another agency's.
"""

from __future__ import annotations

from kasane.auth import Principal
from kasane.errors import Forbidden, NotFound
from kasane.reference import get_agency, is_known_agency

CONTRACTED_KINDS = frozenset({"consultation_agency", "program_operator"})


def check_agency_reader(principal: Principal, agency_id: str) -> None:
    """NotFound for an unknown agency; Forbidden unless the caller may read its figures."""
    if not is_known_agency(agency_id):
        raise NotFound("agency_id", f"未知の機関 / unknown agency: {agency_id}")
    if principal.has_any("city_official"):
        return
    own = principal.agency == agency_id
    contracted = get_agency(agency_id).kind in CONTRACTED_KINDS
    if not (own and contracted and principal.has_any("manager")):
        raise Forbidden(
            "agency_id",
            "自機関の管理者のみ閲覧できます / only the agency's own manager (or the city) may"
            " read its figures",
        )


def may_use_agency_view(principal: Principal) -> bool:
    """A manager of a 委託先: the dashboard shows them their own agency's figures."""
    return (
        principal.has_any("manager")
        and is_known_agency(principal.agency)
        and get_agency(principal.agency).kind in CONTRACTED_KINDS
    )
