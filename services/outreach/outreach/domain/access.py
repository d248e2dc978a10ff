"""Who may see outreach records (docs/architecture/access-rules.md, access-audit.md).

Targets are personal (a description that points at a household), so only the operator's
coordinators and managers see them (``kasane.auth.roles.operator_staff("outreach")``).
Another agency gets 404 for a target (existence is not revealed; the denial is audited);
city roles read aggregates only.
"""

from __future__ import annotations

from uuid import UUID

from kasane.audit import AccessEntry
from kasane.auth import Principal
from kasane.errors import NotFound

RECORD_TYPE = "outreach_target"
PURPOSE = "アウトリーチ支援"


def may_see(principal: Principal, owner_agency: str) -> bool:
    """A target is its registering agency's own record."""
    return principal.agency == owner_agency


def entry(
    principal: Principal,
    target_id: UUID,
    action: str,
    outcome: str,
    subject_id: UUID | None = None,
) -> AccessEntry:
    """The audit row for ``action`` on a target (``outcome``: allowed | denied)."""
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


def schedule_entry(principal: Principal, worker: str | None) -> AccessEntry:
    """The audit row for reading the regular-visit schedule: ids and codes only, but still
    a look at who is being visited."""
    return AccessEntry.by(
        principal,
        record_type="outreach_visit_schedule",
        record_id=worker or "*",
        action="list",
        purpose="定期訪問の管理",
        outcome="allowed",
        legal_basis="owner",
    )


def not_found(target_id: UUID) -> NotFound:
    # The same answer whether the target is missing or another agency's.
    return NotFound("target_id", f"見つかりません / not found: {target_id}")
