"""What every intake route needs: the caller, the pool, the event writer, the purpose.

Case work is ``kasane.auth.roles.CaseWorker`` (相談員・コーディネーター・管理者), the
access log ``Auditor``; only the 開示請求 log has a role set of its own. The case reads a
連携機関 may also make (its referral's case, persons, household) take ``CaseReader``."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Request

from intake.domain.access import may_read_cases
from kasane.auth import Principal
from kasane.auth.dependencies import audit_refusal, require_roles
from kasane.auth.roles import CASE_WORK_ROLES, PARTNER_ROLES, Auditor
from kasane.errors import Forbidden
from kasane.web.events import EventWriter

# A person's 開示請求 log: auditors, or a manager of an agency that may see the person.
AuditReader = Annotated[Principal, Depends(require_roles("auditor", "manager"))]


async def _case_reader(
    request: Request,
    principal: Annotated[Principal, Depends(require_roles(*CASE_WORK_ROLES, *PARTNER_ROLES))],
) -> Principal:
    # A partner whose organisation may not hold case access (a 民生委員 group, an NPO)
    # never reads intake, whatever the case: refused before any lookup, so the answer says
    # nothing about the case, and audited like every refusal naming a record.
    if not may_read_cases(principal.agency, principal.roles):
        await audit_refusal(request, principal)
        raise Forbidden(
            "agency",
            "この連携機関はケース記録を閲覧できません / this partner organisation may not"
            " hold case access (it works from the referral)",
        )
    return principal


# Case workers, or a 連携機関 that may hold case access (its referral then decides).
CaseReader = Annotated[Principal, Depends(_case_reader)]

__all__ = [
    "AuditReader",
    "Auditor",
    "CaseReader",
    "Events",
    "Pool",
    "PurposeHeader",
    "purpose",
]


# async: FastAPI runs a plain ``def`` dependency in a worker thread, a thread hop per
# request for what is an attribute read.
async def get_pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


async def get_events(request: Request) -> EventWriter:
    events: EventWriter = request.app.state.events
    return events


Pool = Annotated[asyncpg.Pool, Depends(get_pool)]
Events = Annotated[EventWriter, Depends(get_events)]
# Why the caller touches the data, recorded on the audit row; each route has a default.
PurposeHeader = Annotated[str | None, Header(alias="X-Kasane-Purpose", max_length=200)]


def purpose(given: str | None, default: str) -> str:
    return given.strip() if given and given.strip() else default
