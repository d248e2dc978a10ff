"""intake's own vocabularies: English ids (the ``Literal`` types its models check input
against), Japanese labels (what staff see).

The labels' one home is ``kasane.reference.program_codes`` (the portal labels intake's
records and builds its forms' choices from the same lists). The ``Literal`` aliases repeat
the codes so that pydantic refuses an unknown one with the same 422 as ever and mypy checks
the call sites; ``tests/unit/reference/test_reference_program_codes.py`` fails the moment a
type and its list differ, so a code is added to both or to neither.
"""

from __future__ import annotations

from typing import Final, Literal

from kasane.reference import program_codes

Sex = Literal["female", "male", "other", "no_answer"]
SEX_LABELS: Final = program_codes.labels("intake_sexes")

# 続柄, seen from the household's primary person (本人).
Relationship = Literal[
    "self",
    "spouse",
    "parent",
    "child",
    "sibling",
    "grandparent",
    "grandchild",
    "child_in_law",
    "other_relative",
    "other",
]
RELATIONSHIP_LABELS: Final = program_codes.labels("intake_relationships")

# 世帯内の役割: makes 8050, ダブルケア and ヤングケアラー visible on the household.
CareRole = Literal["carer", "cared_for"]
CARE_ROLE_LABELS: Final = program_codes.labels("intake_care_roles")

Urgency = Literal["normal", "high", "emergency"]
URGENCY_LABELS: Final = program_codes.labels("intake_urgencies")

RecordKind = Literal["contact", "visit", "call", "note", "meeting"]
RECORD_KIND_LABELS: Final = program_codes.labels("intake_record_kinds")

CloseReason = Literal["resolved", "transferred", "moved", "deceased", "declined", "other"]
CLOSE_REASON_LABELS: Final = program_codes.labels("intake_close_reasons")

# ケース再開の理由. closed_in_error undoes a closure recorded by mistake.
ReopenReason = Literal["same_issue_returned", "situation_worsened", "closed_in_error", "other"]
REOPEN_REASON_LABELS: Final = program_codes.labels("intake_reopen_reasons")
