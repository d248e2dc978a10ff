"""Who may act, by role, in every service: one definition of each role set.

- ``CaseWorker``: staff who work cases (相談員, 多機関協働・アウトリーチ・参加支援の担当, 管理者);
- ``OperatorStaff``: an operator's coordinators and managers;
- ``CityReader``: the city's aggregate readers (市, 集計のみ) — never a person;
- ``Auditor``: access-audit readers (監査) — never a person's record itself;
- ``CaseWorkerOrCity``: readers of non-personal, aggregate data (calendars, figures).
- ``CaseWorkerOrPartner``: routes a 連携機関's staff may also call (a referral to them, the
  pack of a meeting they are invited to); each such route's own rule then limits them to
  their own (docs/architecture/partners.md).

``operator_staff(service)`` adds the rule that only the agency operating that service
(``kasane.reference.agencies.operators_of``) may act, e.g. 社協 for community.
Role refusals on a route naming a personal record are audited (``require_roles``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Final

from fastapi import Depends, HTTPException, Request

from kasane.auth.dependencies import audit_refusal, authenticated, require_roles
from kasane.auth.principal import Principal
from kasane.reference.agencies import ServiceName, operators_of

CASE_WORK_ROLES: Final = ("counselor", "coordinator", "manager")
OPERATOR_ROLES: Final = ("coordinator", "manager")
CITY_READER_ROLES: Final = ("city_official",)
AUDITOR_ROLES: Final = ("auditor",)
PARTNER_ROLES: Final = ("partner",)

CaseWorker = Annotated[Principal, Depends(require_roles(*CASE_WORK_ROLES))]
OperatorStaff = Annotated[Principal, Depends(require_roles(*OPERATOR_ROLES))]
CityReader = Annotated[Principal, Depends(require_roles(*CITY_READER_ROLES))]
Auditor = Annotated[Principal, Depends(require_roles(*AUDITOR_ROLES))]
AnyStaff = Annotated[Principal, Depends(authenticated)]
# Aggregate and non-personal readers: case workers and the city (meetings' calendar,
# indicators' figures). Routes naming a person never use it.
CaseWorkerOrCity = Annotated[
    Principal, Depends(require_roles(*CASE_WORK_ROLES, *CITY_READER_ROLES))
]
CaseWorkerOrPartner = Annotated[Principal, Depends(require_roles(*CASE_WORK_ROLES, *PARTNER_ROLES))]


def operator_staff(service: ServiceName, *roles: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency: one of ``roles`` (default coordinator/manager) at the agency that
    operates ``service``; anyone else → 403."""
    allowed = roles or OPERATOR_ROLES
    operators = frozenset(a.id for a in operators_of(service))

    role_check = Depends(require_roles(*allowed))

    # A default, not an Annotated hint: hints are strings here (postponed evaluation), and
    # FastAPI would look ``allowed`` up among the module's globals.
    async def check(request: Request, principal: Principal = role_check) -> Principal:
        if principal.agency not in operators:
            await audit_refusal(request, principal)
            raise HTTPException(
                403,
                f"この事業の運営機関ではありません / only the operator of {service} may do this",
            )
        return principal

    return check
