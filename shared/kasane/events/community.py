"""Contracts published by community (地域づくり) on ``kasane.community.v1``.

Key: the aggregate (校区 + month for reports, the concern, the resource, ...).
Directory entries are public information about places, but events still carry codes only:
display text is read from community's directory API.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from kasane.events.envelope import EventContract
from kasane.events.types import Code, Count, SchoolDistrictCode, YearMonth


class WatchVisitsReported(EventContract):
    """ふれあいの会 monthly visit count; ``visits`` is the effective (latest) figure."""

    event_type: ClassVar[str] = "community.WatchVisitsReported"

    school_district_code: SchoolDistrictCode
    month: YearMonth
    visits: Count
    revision: int = Field(ge=1)  # 1 = first report, 2+ = corrections
    fiscal_year: int

    def partition_key(self) -> str:
        return f"{self.school_district_code}:{self.month}"


class SupportCouncilHeld(EventContract):
    """支え合い推進会議 (第2層協議体) held in a 校区."""

    event_type: ClassVar[str] = "community.SupportCouncilHeld"

    council_meeting_id: UUID
    school_district_code: SchoolDistrictCode
    held_on: date
    participants: Count
    topic_codes: list[Code] = Field(default_factory=list)

    def partition_key(self) -> str:
        return str(self.council_meeting_id)


class ConcernReported(EventContract):
    """見守りネットワーク: someone noticed something; intake queues it for an agency."""

    event_type: ClassVar[str] = "community.ConcernReported"

    concern_id: UUID
    school_district_code: SchoolDistrictCode
    reporter_type: Code  # business, minsei_iin, resident, ...
    urgency: Code  # normal, urgent
    issue_codes: list[Code] = Field(default_factory=list)  # what it seems to be about
    reported_on: date

    def partition_key(self) -> str:
        return str(self.concern_id)


class ResourcePublished(EventContract):
    """A social resource in the directory was added or changed (HSDS-shaped, by id)."""

    event_type: ClassVar[str] = "community.ResourcePublished"

    resource_id: UUID
    version: int = Field(ge=1)
    category: Code  # ibasho, salon, kodomo_shokudo, kayoi_no_ba, ...
    school_district_code: SchoolDistrictCode | None = None
    program_code: Code | None = None
    capacity: Count | None = None
    age_min: Count | None = None
    age_max: Count | None = None

    def partition_key(self) -> str:
        return str(self.resource_id)


class ResourceWithdrawn(EventContract):
    event_type: ClassVar[str] = "community.ResourceWithdrawn"

    resource_id: UUID
    withdrawn_on: date

    def partition_key(self) -> str:
        return str(self.resource_id)


class ProgramActivityReported(EventContract):
    """A community-building program's monthly activity (sessions, participants), for the
    whole program or one of its components/facilities (``component_code``: a 講座 of
    地域介護予防活動支援, the Ⅰ型 or Ⅲ型 centres, … as listed in the program catalog)."""

    event_type: ClassVar[str] = "community.ProgramActivityReported"

    report_id: UUID
    program_code: Code
    month: YearMonth
    sessions: Count
    participants: Count
    school_district_code: SchoolDistrictCode | None = None
    component_code: Code | None = None

    def partition_key(self) -> str:
        return str(self.report_id)


CONTRACTS: tuple[type[EventContract], ...] = (
    WatchVisitsReported,
    SupportCouncilHeld,
    ConcernReported,
    ResourcePublished,
    ResourceWithdrawn,
    ProgramActivityReported,
)
