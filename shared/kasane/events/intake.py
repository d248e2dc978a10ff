"""Contracts published by intake on ``kasane.intake.v1``.

Ids, codes, dates and counts only: never a name, address, phone, birth date or narrative
(DESIGN.md section 4). ``extra="forbid"`` on the base class keeps it that way.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from kasane.events.envelope import EventContract
from kasane.events.types import AgeBand, AgencyId, Code, SchoolDistrictCode


class ConsultationReceived(EventContract):
    """相談受付: one consultation accepted at a consultation agency."""

    event_type: ClassVar[str] = "intake.ConsultationReceived"
    schema_version: ClassVar[int] = 1

    consultation_id: UUID
    case_id: UUID | None = None
    agency_id: AgencyId
    received_at: datetime
    channel: Code
    issue_codes: list[Code] = Field(min_length=1)
    age_band: AgeBand
    school_district_code: SchoolDistrictCode
    is_complex: bool  # 複合的な課題: the codes span two or more domains

    def partition_key(self) -> str:
        # Consultations without a case yet are keyed by themselves.
        return str(self.case_id or self.consultation_id)


CONTRACTS: tuple[type[EventContract], ...] = (ConsultationReceived,)
