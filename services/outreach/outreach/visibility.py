"""Loading a target for a request: visible to its agency only, every access audited.

A denial is audited too, and answered 404 (existence is not revealed). The caller raises
:func:`not_found` after its transaction commits, so the denial row is kept.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.web.errors import Refused
from outreach import targets_store
from outreach.access import may_see

RECORD_TYPE = "outreach_target"
PURPOSE = "アウトリーチ支援"


def entry(
    principal: Principal,
    target_id: UUID,
    action: str,
    outcome: str,
    subject_id: UUID | None = None,
) -> AccessEntry:
    return AccessEntry.by(
        principal,
        record_type=RECORD_TYPE,
        record_id=str(target_id),
        action=action,
        purpose=PURPOSE,
        outcome=outcome,
        # No consent is needed to reach out; the operator's own record is the basis.
        legal_basis="owner" if outcome == "allowed" else None,
        subject_id=str(subject_id) if subject_id else str(target_id),
    )


async def visible_target(
    conn: asyncpg.Connection,
    principal: Principal,
    target_id: UUID,
    *,
    action: str,
    for_update: bool = False,
) -> asyncpg.Record | None:
    """The target row with an audit row for ``action``, or None (denial audited)."""
    row = await targets_store.get(conn, target_id, for_update=for_update)
    allowed = row is not None and may_see(principal, row["agency_id"])
    subject = row["person_id"] if row is not None and allowed else None
    outcome = "allowed" if allowed else "denied"
    await record_access(conn, entry(principal, target_id, action, outcome, subject))
    return row if allowed else None


def not_found(target_id: UUID) -> Refused:
    return Refused(404, "target_id", f"見つかりません / not found: {target_id}")
