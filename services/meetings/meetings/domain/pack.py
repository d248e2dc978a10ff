"""会議資料 as a document: what one member agency receives of one meeting.

Each item is either shown in full or as its number, kind and the reason it is hidden
(``domain.access``); ``api.pack_html`` renders it as A4 HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from meetings.domain.meeting import Meeting
from meetings.domain.members import Member


@dataclass(frozen=True)
class PackItem:
    position: int
    kind: str
    hidden_reason: str | None  # set: show nothing but the number and the reason
    case_id: UUID | None = None
    legal_basis: str | None = None
    presenting_agency_id: str | None = None
    lead_agency_id: str | None = None
    summary: str | None = None
    consent_valid: bool = True
    plan: dict[str, Any] | None = None  # program, status, review_on, content
    decision: dict[str, Any] | None = None  # labelled: ``domain.minutes.decision_out``
    profile: dict[str, Any] | None = None  # 世帯概要: ``domain.profile.profile_out``


@dataclass(frozen=True)
class Pack:
    meeting: Meeting
    viewer_agency_id: str
    members: list[Member]
    items: list[PackItem]
    generated_on: date
    notes: list[str] = field(default_factory=list)
