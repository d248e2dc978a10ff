"""議事録 (minutes) as a document, and the labelled form of a decision.

What one agency receives of one meeting's minutes: the meeting (date, place), the
attendance list (every member agency, present or absent) and each agenda item's decision
as the viewer may see it (``domain.access``: a hidden item shows its number and the reason
only). The JSON API and ``api.minutes_html`` render the same document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kasane.reference.partners import party_name
from meetings.domain.codes import (
    END_REASONS,
    GAP_CATEGORIES,
    MULTILAYER_KINDS,
    OUTCOME_LABELS,
    PLAN_END_KIND_LABELS,
    PROGRAM_LABELS,
    RETURN_REASONS,
    ROLE_CODES,
    SUPPORT_KINDS,
)
from meetings.domain.meeting import Meeting
from meetings.domain.pack import PackItem


def agency_name(agency_id: str | None) -> str:
    if agency_id is None:
        return "—"
    return party_name(agency_id)  # an agency or a 連携機関; an unknown id as itself


def kind_label(kind: str) -> str:
    return MULTILAYER_KINDS.get(kind) or SUPPORT_KINDS.get(kind) or kind


def _reason_label(outcome: str, end_kind: str | None, reason_code: str | None) -> str | None:
    if reason_code is None:
        return None
    if outcome == "return":
        return RETURN_REASONS.get(reason_code, reason_code)
    if end_kind is not None:
        return END_REASONS.get(end_kind, {}).get(reason_code, reason_code)
    return reason_code


def roles_out(roles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """役割分担 with labels, the 主担当 first."""
    ordered = sorted(roles, key=lambda r: not r.get("lead"))
    return [
        {
            "agency_id": r["agency_id"],
            "agency_name": agency_name(r["agency_id"]),
            "role_code": r["role_code"],
            "role_label": ROLE_CODES.get(r["role_code"], r["role_code"]),
            "lead": bool(r.get("lead")),
            "tasks": r.get("tasks"),
        }
        for r in ordered
    ]


def decision_out(decision: dict[str, Any] | None, gaps: list[str]) -> dict[str, Any] | None:
    """A decision as minuted, with labels: 終結/中断 and its reason, the return reason, the
    roles (one 主担当), the next review date and the gap categories it raised."""
    if decision is None:
        return None
    outcome = decision["outcome"]
    end_kind = decision.get("end_kind")
    return {
        "decision_id": str(decision["id"]),
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS.get(outcome, outcome),
        "decided_on": decision["decided_on"],
        "end_kind": end_kind,
        "end_kind_label": PLAN_END_KIND_LABELS.get(end_kind) if end_kind else None,
        "reason_code": decision.get("reason_code"),
        "reason_label": _reason_label(outcome, end_kind, decision.get("reason_code")),
        "evaluation": decision.get("evaluation"),
        "minutes": decision.get("minutes"),
        "next_review_on": decision.get("next_review_on"),
        "escalate_to": decision.get("escalate_to"),
        "escalate_to_label": PROGRAM_LABELS.get(decision["escalate_to"])
        if decision.get("escalate_to")
        else None,
        "roles": roles_out(decision.get("roles") or []),
        "gaps": [{"category_code": g, "category_label": GAP_CATEGORIES.get(g, g)} for g in gaps],
    }


@dataclass(frozen=True)
class Attendee:
    agency_id: str
    present: bool | None  # None: not recorded yet (the meeting is not held)


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    viewer_agency_id: str
    attendance: list[Attendee]
    items: list[PackItem]
    generated_on: date

    @property
    def final(self) -> bool:
        """Minutes are final once the meeting is closed; before that they are a draft (案)."""
        return self.meeting.held


def attendance_of(members: list[str], recorded: dict[str, bool]) -> list[Attendee]:
    """Every member agency (and any recorded one no longer a member), present first."""
    agencies = sorted(set(members) | set(recorded))
    listed = [Attendee(a, recorded.get(a)) for a in agencies]
    return sorted(listed, key=lambda a: (a.present is not True, a.agency_id))
