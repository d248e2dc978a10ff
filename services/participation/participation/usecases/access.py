"""Access to a participant: the guard, the audit rows, and the audited transaction.

アソウ changes; the referring agency may read its own participant; everyone else gets 404.
Every read or change of a participant leaves an access-audit row; a refused one leaves a
``denied`` row that survives the rollback.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final, TypeVar
from uuid import UUID

import asyncpg

from kasane.audit import AccessEntry, audited, record_access
from kasane.auth import Principal
from participation.domain import participants as rules
from participation.store import participants as store
from participation.store.participants import Participant, ParticipantSummary

PURPOSE: Final = "参加支援"

T = TypeVar("T")


def entry(
    principal: Principal, record_id: UUID, action: str, outcome: str, **kw: Any
) -> AccessEntry:
    return AccessEntry.by(
        principal,
        record_type="participant",
        record_id=str(record_id),
        action=action,
        purpose=PURPOSE,
        outcome=outcome,
        **kw,
    )


async def guard(
    conn: asyncpg.Connection, participant_id: UUID, principal: Principal, *, write: bool
) -> Participant:
    """The participant, if the caller may see it (404 otherwise); writes are アソウ's (403)."""
    found = await store.get_participant(conn, participant_id, for_update=write)
    row = rules.visible_to(principal.agency, found)
    if write:
        rules.check_operator(principal.agency)
    return row


async def audit(
    conn: asyncpg.Connection,
    principal: Principal,
    row: Participant | ParticipantSummary,
    action: str,
) -> None:
    # The referring agency reads as the record's owner; アソウ on the referral's legal basis.
    basis = "owner" if principal.agency == row.referring_agency_id else row.legal_basis
    await record_access(
        conn, entry(principal, row.participant_id, action, "allowed", legal_basis=basis)
    )


async def in_transaction(
    pool: asyncpg.Pool,
    principal: Principal,
    participant_id: UUID,
    action: str,
    work: Callable[[asyncpg.Connection], Awaitable[T]],
) -> T:
    """``work`` in one transaction; a refusal rolls it back and is audited as denied."""
    return await audited(pool, entry(principal, participant_id, action, "denied"), work)
