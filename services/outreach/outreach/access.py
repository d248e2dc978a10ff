"""Who may see outreach records (DESIGN.md section 6).

Targets are personal (a description that points at a household), so only the operator's
coordinators and managers see them. Another agency gets 404 for a target (existence is
not revealed; the denial is audited); city roles read aggregates only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from kasane.auth import Principal
from kasane.auth.dependencies import require_roles

OPERATOR = "shakyo"  # 久留米市社会福祉協議会 (アウトリーチ等を通じた継続的支援事業, 委託)
WORKER_ROLES = ("coordinator", "manager")


def _operator_worker(
    principal: Annotated[Principal, Depends(require_roles(*WORKER_ROLES))],
) -> Principal:
    if principal.agency != OPERATOR:
        raise HTTPException(
            403, "アウトリーチ事業者の担当者のみ / only the outreach operator's staff"
        )
    return principal


def _aggregate_reader(
    principal: Annotated[Principal, Depends(require_roles(*WORKER_ROLES, "city_official"))],
) -> Principal:
    if principal.agency != OPERATOR and "city_official" not in principal.roles:
        raise HTTPException(403, "集計は社協または市のみ / aggregates: 社協 or the city only")
    return principal


# Registers targets and works lists (creating reveals nothing, so others get 403).
OperatorWorker = Annotated[Principal, Depends(_operator_worker)]
# Per-target URLs: the role is checked here, the agency per record (404 if not theirs).
Worker = Annotated[Principal, Depends(require_roles(*WORKER_ROLES))]
AggregateReader = Annotated[Principal, Depends(_aggregate_reader)]


def may_see(principal: Principal, owner_agency: str) -> bool:
    return principal.agency == owner_agency
