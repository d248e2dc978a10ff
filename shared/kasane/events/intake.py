"""Contracts published by intake on ``kasane.intake.v1`` (key: case_id).

Ids, codes, dates and counts only: never a name, address, phone, birth date or narrative
(docs/architecture/events-and-contracts.md). ``extra="forbid"`` and the code-only field
types keep it that way.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from kasane.events.envelope import EventContract
from kasane.events.types import (
    AgeBand,
    AgencyId,
    Code,
    ConsentMethod,
    MeetingType,
    Program,
    SchoolDistrictCode,
)
from kasane.households import HouseholdSituation, HouseholdSizeBand


class ConsultationReceived(EventContract):
    """相談受付: one consultation accepted at a consultation agency."""

    event_type: ClassVar[str] = "intake.ConsultationReceived"

    consultation_id: UUID
    case_id: UUID | None = None
    agency_id: AgencyId
    received_at: datetime
    channel: Code
    issue_codes: list[Code] = Field(min_length=1)
    age_band: AgeBand
    school_district_code: SchoolDistrictCode
    is_complex: bool  # 複合的な課題: the codes span two or more domains
    consulted_by: Code | None = None  # 本人・家族・関係機関・地域住民
    urgency: Code | None = None
    between_systems: bool = False  # 制度の狭間 (staff flag; the reason stays in intake)
    outcome: Code | None = None  # 窓口で完結・つなぎ・多機関協働へ・アウトリーチへ・参加支援へ
    concern_id: UUID | None = None  # when it came from a 見守りネットワーク concern report
    # 世帯概要 when the case has a registered household (flags and a band, never members):
    # what meetings prints on an agenda item. Optional, so older payloads read as unknown.
    household_situations: list[HouseholdSituation] | None = None
    household_size_band: HouseholdSizeBand | None = None

    def partition_key(self) -> str:
        # Consultations without a case yet are keyed by themselves.
        return str(self.case_id or self.consultation_id)


class CaseOpened(EventContract):
    """ケース開始: one household episode, with its lead agency (主担当)."""

    event_type: ClassVar[str] = "intake.CaseOpened"

    case_id: UUID
    household_id: UUID | None = None
    lead_agency_id: AgencyId
    opened_on: date
    school_district_code: SchoolDistrictCode | None = None


class CaseClassified(EventContract):
    """The case's issues as currently understood (課題の整理)."""

    event_type: ClassVar[str] = "intake.CaseClassified"

    case_id: UUID
    issue_codes: list[Code] = Field(min_length=1)
    is_complex: bool
    between_systems: bool


class CaseEscalated(EventContract):
    """The case is connected into a program (多機関協働・アウトリーチ・参加支援へ)."""

    event_type: ClassVar[str] = "intake.CaseEscalated"

    case_id: UUID
    program: Program
    reason_codes: list[Code] = Field(min_length=1)
    escalated_on: date
    by_agency_id: AgencyId


class ConsentRecorded(EventContract):
    """本人同意 recorded: whom it lets the case be shared with, and until when."""

    event_type: ClassVar[str] = "intake.ConsentRecorded"

    consent_id: UUID
    case_id: UUID
    person_id: UUID
    scope_agencies: list[AgencyId] = Field(default_factory=list)
    scope_programs: list[Program] = Field(default_factory=list)
    scope_meeting_types: list[MeetingType] = Field(default_factory=list)
    method: ConsentMethod
    consented_on: date
    expires_on: date | None = None


class ConsentWithdrawn(EventContract):
    """同意の撤回: no further sharing on this consent from ``withdrawn_on``."""

    event_type: ClassVar[str] = "intake.ConsentWithdrawn"

    consent_id: UUID
    case_id: UUID
    withdrawn_on: date


class CaseClosed(EventContract):
    """ケース終結."""

    event_type: ClassVar[str] = "intake.CaseClosed"

    case_id: UUID
    closed_on: date
    reason_code: Code


class CaseReopened(EventContract):
    """ケース再開: a closed case is open again (the person came back with the same household
    situation), so its 支援経過記録 continues instead of a new case starting. Not a new case
    and not a new consultation. The note stays in intake; only the reason's code travels.

    Ordering: consumers keep the latest closure and the latest reopening seen, by date; the
    case is open when the reopening is on or after the closure. intake keeps dates in that
    order: a reopening is dated on or after the closure it ends, and a later closure after
    the reopening (docs/architecture/intake-view.md)."""

    event_type: ClassVar[str] = "intake.CaseReopened"

    case_id: UUID
    household_id: UUID | None = None
    lead_agency_id: AgencyId
    reopened_on: date
    reason_code: Code


CONTRACTS: tuple[type[EventContract], ...] = (
    ConsultationReceived,
    CaseOpened,
    CaseClassified,
    CaseEscalated,
    ConsentRecorded,
    ConsentWithdrawn,
    CaseClosed,
    CaseReopened,
)
