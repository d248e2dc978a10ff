"""Who may see outreach records (docs/architecture/access-rules.md, access-audit.md).

Targets are personal (a description that points at a household), so only the operator's
coordinators and managers see them (``kasane.auth.roles.operator_staff("outreach")``).
Another agency gets 404 for a target (existence is not revealed; the denial is audited);
city roles read aggregates only.

One narrow exception, for plans only (``plan_read_basis``): the 重層的支援会議 decides on an
outreach plan, so the coordinator of the agency running the meetings reads the plan while
it waits for that decision (status ``submitted``), to prepare the meeting. Not the meeting's
members (they hear the plan presented), not after the decision.
"""

from __future__ import annotations

from uuid import UUID

from kasane.audit import AccessEntry
from kasane.auth import Principal
from kasane.errors import NotFound
from kasane.reference.agencies import operators_of

RECORD_TYPE = "outreach_target"
PURPOSE = "アウトリーチ支援"
PLAN_RECORD_TYPE = "plan"  # as a refusal by role names it (kasane.audit.PERSONAL_RECORD_PARAMS)
MEETING_PURPOSE = "重層的支援会議の準備"
MEETING_OPERATORS = frozenset(a.id for a in operators_of("meetings"))
MEETING_PREPARER_ROLE = "coordinator"  # who prepares the meeting's agenda at the operator


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


def plan_read_basis(
    principal: Principal,
    owner_agency: str,
    plan_status: str,
    meeting_operators: frozenset[str] = MEETING_OPERATORS,
) -> str | None:
    """Why ``principal`` may read a plan of a target owned by ``owner_agency`` ("owner", or
    "meeting_operator" while the plan waits for the 重層的支援会議), or None (→ 404).
    The caller's role is already checked (an operator role, ``OperatorStaff``)."""
    if may_see(principal, owner_agency):
        return "owner"
    if (
        plan_status == "submitted"
        and principal.agency in meeting_operators
        and principal.has_any(MEETING_PREPARER_ROLE)
    ):
        return "meeting_operator"
    return None


def plan_entry(
    principal: Principal, plan_id: UUID, basis: str | None, subject_id: UUID | None
) -> AccessEntry:
    """The audit row for reading a plan by id: allowed with its basis, or denied."""
    return AccessEntry.by(
        principal,
        record_type=PLAN_RECORD_TYPE,
        record_id=str(plan_id),
        action="read",
        purpose=MEETING_PURPOSE if basis == "meeting_operator" else PURPOSE,
        outcome="denied" if basis is None else "allowed",
        legal_basis=basis,
        subject_id=str(subject_id) if subject_id else str(plan_id),
    )


def plan_not_found(plan_id: UUID) -> NotFound:
    # The same answer whether the plan is missing or not the caller's to read.
    return NotFound("plan_id", f"プランが見つかりません / plan not found: {plan_id}")


def not_found(target_id: UUID) -> NotFound:
    # The same answer whether the target is missing or another agency's.
    return NotFound("target_id", f"見つかりません / not found: {target_id}")
