"""Code → 日本語 labels for the meeting screens (one home in the portal).

Meeting types, agenda kinds, programs and 終結/中断 come from ``kasane.reference``; so do
meetings' own decisions (roles, return and end reasons, gap categories, outcomes), from
``kasane.reference.program_codes``: the one list meetings validates against.
"""

from __future__ import annotations

from typing import Final

from kasane.reference import program_codes
from kasane.reference.enumerations import labels
from kasane.reference.issue_codes import issue_code_labels

MEETING_TYPES: Final = labels("meeting_types")
AGENDA_KINDS: Final = {
    **labels("multilayer_agenda_kinds"),
    **labels("support_meeting_agenda_kinds"),
}
PROGRAMS: Final = labels("programs")
END_KINDS: Final = labels("plan_end_kinds")

ROLE_CODES: Final = program_codes.labels("meeting_roles")
RETURN_REASONS: Final = program_codes.labels("meeting_return_reasons")
END_REASONS: Final = program_codes.meeting_end_reasons()
GAP_CATEGORIES: Final = program_codes.labels("meeting_gap_categories")
OUTCOME_LABELS: Final = program_codes.labels("meeting_outcomes")
# Which decisions fit an agenda kind (the same list meetings validates against).
OUTCOMES_BY_KIND: Final = program_codes.meeting_outcomes_by_kind()
ISSUES: Final = issue_code_labels()
PLAN_STATUSES: Final = {
    "draft": "下書き",
    "submitted": "提出済み（協議待ち）",
    "approved": "承認済み",
    "returned": "差戻し",
    "ended": "終了",
}
