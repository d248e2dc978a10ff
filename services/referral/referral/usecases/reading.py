"""Read referrals: the agency's list and one referral; every referral read is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Literal
from uuid import UUID

import asyncpg

from kasane.audit import audited, record_access
from kasane.auth import Principal
from referral.domain.referrals import (
    Referral,
    Status,
    access_basis,
    check_list_scope,
    check_visible,
)
from referral.store import referrals
from referral.usecases._audit import entry


@dataclass(frozen=True)
class ListQuery:
    agency: str | None = None  # must be the caller's own, if given
    direction: Literal["sent", "received"] | None = None
    status: Status | None = None
    overdue_as_of: date | None = None  # only requests still open after their due date
    limit: int = 100
    case_id: UUID | None = None  # one case's referrals (the portal's case page)


async def list_referrals(
    pool: asyncpg.Pool, principal: Principal, query: ListQuery
) -> list[Referral]:
    check_list_scope(query.agency, principal.agency)
    async with pool.acquire() as conn, conn.transaction():
        found = await referrals.list_for_agency(
            conn,
            principal.agency,
            direction=query.direction,
            status=query.status,
            overdue_as_of=query.overdue_as_of,
            limit=query.limit,
            case_id=query.case_id,
        )
        for referral in found:
            basis = access_basis(principal.agency, referral)
            await record_access(
                conn,
                entry(principal, "referral", referral.referral_id, "list", "allowed", basis),
            )
    return found


async def get_referral(pool: asyncpg.Pool, principal: Principal, referral_id: UUID) -> Referral:
    denial = entry(principal, "referral", referral_id, "read", "denied")
    return await audited(pool, denial, partial(_read, principal, referral_id))


async def _read(principal: Principal, referral_id: UUID, conn: asyncpg.Connection) -> Referral:
    referral = check_visible(principal.agency, await referrals.get_referral(conn, referral_id))
    basis = access_basis(principal.agency, referral)
    await record_access(conn, entry(principal, "referral", referral_id, "read", "allowed", basis))
    return referral
