"""community's response bodies, and how each is shaped from what a use case returns."""

from __future__ import annotations

from pydantic import BaseModel

from community.domain.resources import ResourceIn
from community.store.activity import ActivityReport
from community.store.concerns import Concern, ConcernListed
from community.store.councils import CouncilMeeting
from community.store.resources import Resource
from community.store.watch_visits import Revision
from kasane.reference.programs import OPERATION_LABELS, Program, parts_of
from kasane.reference.school_districts import SchoolDistrictTable
from kasane.types import IsoDate, IsoDatetime

# --- 校区 school districts ----------------------------------------------------------------


class DistrictOut(BaseModel):
    code: str
    name_ja: str


class AreaOut(BaseModel):
    code: str
    name_ja: str
    school_districts: list[DistrictOut]


class DistrictsOut(BaseModel):
    sample: bool  # true: the shipped SAMPLE, not the city's official list
    source: str
    daily_life_areas: list[AreaOut]

    @classmethod
    def of(cls, table: SchoolDistrictTable) -> DistrictsOut:
        """校区 grouped by 日常生活圏域, from the shared reference table (not a copy of it)."""
        return cls(
            sample=table.sample,
            source=table.source,
            daily_life_areas=[
                AreaOut(
                    code=area.code,
                    name_ja=area.name_ja,
                    school_districts=[
                        DistrictOut(code=d.code, name_ja=d.name_ja)
                        for d in table.districts_in_area(area.code)
                    ],
                )
                for area in table.daily_life_areas
            ],
        )


# --- 見守り訪問 watch visits -------------------------------------------------------------


class WatchVisitsOut(BaseModel):
    school_district_code: str
    month: str
    fiscal_year: int
    visits: int  # the effective (latest) figure
    revision: int
    reported_at: IsoDatetime
    reported_by: str

    @classmethod
    def of(cls, r: Revision) -> WatchVisitsOut:
        return cls(
            school_district_code=r.school_district_code,
            month=r.month,
            fiscal_year=r.fiscal_year,
            visits=r.visits,
            revision=r.revision,
            reported_at=r.reported_at,
            reported_by=r.reported_by,
        )


class HistoryOut(BaseModel):
    school_district_code: str
    month: str
    revisions: list[WatchVisitsOut]


class FiscalYearTotals(BaseModel):
    fiscal_year: int
    school_district_code: str | None
    total: int
    by_school_district: dict[str, int]
    by_month: dict[str, int]


# --- 支え合い推進会議 support councils ---------------------------------------------------


class CouncilCreated(BaseModel):
    council_meeting_id: str


class CouncilOut(BaseModel):
    council_meeting_id: str
    school_district_code: str
    held_on: IsoDate
    participants: int
    topic_codes: list[str]

    @classmethod
    def of(cls, m: CouncilMeeting) -> CouncilOut:
        return cls(
            council_meeting_id=str(m.id),
            school_district_code=m.school_district_code,
            held_on=m.held_on,
            participants=m.participants,
            topic_codes=m.topic_codes,
        )


class CouncilList(BaseModel):
    fiscal_year: int
    meetings: int
    participants: int
    by_school_district: dict[str, int]
    items: list[CouncilOut]


# --- 見守りネットワーク concern reports -----------------------------------------------------


class ConcernCreated(BaseModel):
    concern_id: str


class ConcernSummary(BaseModel):
    """Codes only: a list is not a read of anyone's details."""

    concern_id: str
    school_district_code: str
    reporter_type: str
    urgency: str
    issue_codes: list[str]
    reported_on: IsoDate
    queued_at: list[str]  # agencies whose intake queued it

    @classmethod
    def of(cls, c: ConcernListed) -> ConcernSummary:
        return cls(
            concern_id=str(c.id),
            school_district_code=c.school_district_code,
            reporter_type=c.reporter_type,
            urgency=c.urgency,
            issue_codes=c.issue_codes,
            reported_on=c.reported_on,
            queued_at=c.queued_at,
        )


class ConcernOut(BaseModel):
    concern_id: str
    agency_id: str
    school_district_code: str
    reporter_type: str
    urgency: str
    issue_codes: list[str]
    noticed: str
    location: str
    reporter_contact: str | None
    reported_on: IsoDate
    created_at: IsoDatetime

    @classmethod
    def of(cls, c: Concern) -> ConcernOut:
        return cls(
            concern_id=str(c.id),
            agency_id=c.agency_id,
            school_district_code=c.school_district_code,
            reporter_type=c.reporter_type,
            urgency=c.urgency,
            issue_codes=c.issue_codes,
            noticed=c.noticed,
            location=c.location,
            reporter_contact=c.reporter_contact,
            reported_on=c.reported_on,
            created_at=c.created_at,
        )


# --- 社会資源 directory ------------------------------------------------------------------


class ResourceOut(ResourceIn):
    id: str
    version: int
    status: str  # published | withdrawn
    withdrawn_on: IsoDate | None
    updated_at: IsoDatetime

    @classmethod
    def of(cls, r: Resource) -> ResourceOut:
        return cls(
            **r.doc,
            id=str(r.id),
            version=r.version,
            status=r.status,
            withdrawn_on=r.withdrawn_on,
            updated_at=r.updated_at,
        )


# --- 地域づくり事業 programs ---------------------------------------------------------------


class ProgramOut(Program):
    operation_ja: str | None
    parts: list[str]

    @classmethod
    def of(cls, program: Program) -> ProgramOut:
        return cls(
            **program.model_dump(),
            operation_ja=OPERATION_LABELS.get(program.operation or ""),
            parts=parts_of(program.code),
        )


class ActivityOut(BaseModel):
    report_id: str
    program_code: str
    component_code: str | None
    month: str
    school_district_code: str | None
    sessions: int
    participants: int
    revision: int
    fiscal_year: int
    reported_at: IsoDatetime

    @classmethod
    def of(cls, r: ActivityReport) -> ActivityOut:
        return cls(
            report_id=str(r.report_id),
            program_code=r.program_code,
            component_code=r.component_code,
            month=r.month,
            school_district_code=r.school_district_code,
            sessions=r.sessions,
            participants=r.participants,
            revision=r.revision,
            fiscal_year=r.fiscal_year,
            reported_at=r.reported_at,
        )


class ActivityTotals(BaseModel):
    program_code: str
    fiscal_year: int
    sessions: int
    participants: int
    reports: list[ActivityOut]
