"""Who may read an outreach plan by id (its goals and wishes): pure."""

from __future__ import annotations

import uuid

from kasane.auth import Principal
from outreach.domain.access import MEETING_OPERATORS, plan_entry, plan_read_basis


def staff(agency: str, role: str) -> Principal:
    return Principal(sub=f"{agency}-{role}", agency=agency, roles=frozenset({role}))


def test_the_targets_agency_reads_its_plans_in_any_status() -> None:
    for status in ("submitted", "active", "returned", "ended"):
        assert plan_read_basis(staff("shakyo", "coordinator"), "shakyo", status) == "owner"
        assert plan_read_basis(staff("shakyo", "manager"), "shakyo", status) == "owner"


def test_the_meetings_coordinator_reads_a_plan_only_while_it_waits_for_the_meeting() -> None:
    # Were 多機関協働 run by an agency other than the outreach operator (here, as if
    # jiritsu ran the meetings), its coordinator would read a plan awaiting the decision,
    # and nothing else: not its manager, not a decided plan.
    meetings_run_by = frozenset({"jiritsu"})
    coordinator = staff("jiritsu", "coordinator")
    assert plan_read_basis(coordinator, "shakyo", "submitted", meetings_run_by) == (
        "meeting_operator"
    )
    for status in ("active", "returned", "ended"):
        assert plan_read_basis(coordinator, "shakyo", status, meetings_run_by) is None
    assert (
        plan_read_basis(staff("jiritsu", "manager"), "shakyo", "submitted", meetings_run_by) is None
    )


def test_another_agency_reads_no_plan() -> None:
    assert "aso" not in MEETING_OPERATORS
    assert plan_read_basis(staff("aso", "coordinator"), "shakyo", "submitted") is None
    assert plan_read_basis(staff("houkatsu-04", "coordinator"), "shakyo", "submitted") is None


def test_each_read_is_an_audit_row_with_its_basis_and_a_refusal_names_the_plan() -> None:
    plan_id, person_id = uuid.uuid4(), uuid.uuid4()
    allowed = plan_entry(staff("shakyo", "coordinator"), plan_id, "owner", person_id)
    assert (allowed.record_type, allowed.record_id, allowed.action) == (
        "plan",
        str(plan_id),
        "read",
    )
    assert (allowed.outcome, allowed.legal_basis, allowed.subject_id) == (
        "allowed",
        "owner",
        str(person_id),
    )
    meeting = plan_entry(staff("jiritsu", "coordinator"), plan_id, "meeting_operator", None)
    assert meeting.purpose == "重層的支援会議の準備"
    denied = plan_entry(staff("aso", "coordinator"), plan_id, None, None)
    assert (denied.outcome, denied.legal_basis, denied.subject_id) == ("denied", None, str(plan_id))
