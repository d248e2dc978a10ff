"""Who may do what in community (DESIGN.md section 6).

社協 runs the program, so its coordinators and managers write reports and the directory.
City roles read aggregates (counts per 校区 and month), never a concern report's details.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from kasane.auth import Principal
from kasane.auth.dependencies import authenticated, require_roles

OPERATOR = "shakyo"  # 久留米市社会福祉協議会
WRITER_ROLES = ("coordinator", "manager")
STAFF_ROLES = ("counselor", "coordinator", "manager")


def _shakyo_writer(
    principal: Annotated[Principal, Depends(require_roles(*WRITER_ROLES))],
) -> Principal:
    if principal.agency != OPERATOR:
        raise HTTPException(
            403, "社協の担当者のみ / only 社協 coordinators and managers may report"
        )
    return principal


def _shakyo_staff(
    principal: Annotated[Principal, Depends(require_roles(*STAFF_ROLES))],
) -> Principal:
    if principal.agency != OPERATOR:
        raise HTTPException(403, "社協の職員のみ / only 社協 staff")
    return principal


def _aggregate_reader(
    principal: Annotated[Principal, Depends(require_roles(*STAFF_ROLES, "city_official"))],
) -> Principal:
    if principal.agency != OPERATOR and "city_official" not in principal.roles:
        raise HTTPException(
            403, "社協または市の担当者のみ / only 社協 staff and city officials may read"
        )
    return principal


# 社協 coordinator/manager: may report and publish.
ShakyoWriter = Annotated[Principal, Depends(_shakyo_writer)]
# Any 社協 staff role: takes 見守りネットワーク reports.
ShakyoStaff = Annotated[Principal, Depends(_shakyo_staff)]
# 社協 staff or a city official: may read aggregates.
AggregateReader = Annotated[Principal, Depends(_aggregate_reader)]
# Any staff role of any agency: concern details are then checked per record.
Staff = Annotated[Principal, Depends(require_roles(*STAFF_ROLES))]
# Any valid token: the directory is public information, but never anonymous.
AnyToken = Annotated[Principal, Depends(authenticated)]
