"""Response shapes of intake's API, for the OpenAPI document (documentation only).

The routes build their JSON from database rows; these models describe that JSON so clients
(and the schemathesis contract test, which checks every response against them) know what
comes back. ``ok(Model)`` and ``created(Model)`` are passed as a route's ``responses``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel


def ok(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model}}


def created(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {201: {"model": model}}


class PersonCreated(BaseModel):
    person_id: UUID


class Person(BaseModel):
    person_id: UUID
    name: str
    kana: str
    birth_date: date | None
    sex: str | None
    address: str | None
    phone: str | None
    school_district_code: str | None
    registered_by_agency: str


class PersonRead(Person):
    household_ids: list[UUID]


class Candidate(BaseModel):
    person_id: UUID
    score: float
    reasons: list[str]
    registered_by_agency: str


class Candidates(BaseModel):
    candidates: list[Candidate]


class LinkCreated(BaseModel):
    person_id: UUID
    linked_person_id: UUID
    created: bool


class HouseholdCreated(BaseModel):
    household_id: UUID


class Member(Person):
    relationship: str
    care_role: str | None


class HouseholdMember(Member):
    age: int | None


class Household(BaseModel):
    household_id: UUID
    members: list[HouseholdMember]
    situations: list[Any]


class ConsultationCreated(BaseModel):
    consultation_id: UUID
    case_id: UUID | None


class CaseCreated(BaseModel):
    case_id: UUID


class CaseClosed(BaseModel):
    case_id: UUID
    status: str


class CaseReopened(BaseModel):
    case_id: UUID
    status: str
    reopened_on: date


class Reopening(BaseModel):
    """One ケース再開 and the closure (終結) it ended."""

    reopened_on: date
    reason: str
    note: str | None
    closed_on: date
    close_reason: str | None
    reopened_agency: str


class Access(BaseModel):
    level: str
    basis: str | None


class CasePerson(BaseModel):
    person_id: UUID
    name: str
    kana: str
    relationship: str | None


class CaseSummary(BaseModel):
    case_id: UUID
    status: str
    # With ?names=true or ?agency=shared only:
    lead_agency_id: str | None = None
    access: Access | None = None
    persons: list[CasePerson] | None = None  # ?names=true only


class CaseList(BaseModel):
    items: list[CaseSummary]
    limit: int
    offset: int


class CaseConsultation(BaseModel):
    consultation_id: UUID
    agency_id: str
    received_at: datetime
    channel: str
    issue_codes: list[str]


class Case(BaseModel):
    case_id: UUID
    status: str
    lead_agency_id: str
    household_id: UUID | None
    primary_person_id: UUID | None
    opened_on: date
    closed_on: date | None
    reopened_on: date | None
    access: Access
    members: list[Member]
    consultations: list[CaseConsultation]
    reopenings: list[Reopening]


class ConsentCreated(BaseModel):
    consent_id: UUID
    case_id: UUID


class ConsentWithdrawn(BaseModel):
    consent_id: UUID
    withdrawn_on: date


class RecordCreated(BaseModel):
    record_id: UUID


class Record(BaseModel):
    record_id: UUID
    kind: str
    occurred_at: datetime
    body: str
    author_sub: str
    author_agency: str


class Records(BaseModel):
    items: list[Record]
    next_after: datetime | None


class PendingConsultation(BaseModel):
    concern_id: UUID
    school_district_code: str | None
    issue_codes: list[str]
    urgency: str
    reported_on: date


class Queue(BaseModel):
    items: list[PendingConsultation]
    limit: int
    offset: int


class AuditRow(BaseModel):
    seq: int | None  # chain position; None until the sealer links the row (within ~1 s)
    sealed: bool
    at: datetime
    actor_agency: str
    record_type: str
    action: str
    outcome: str


class AuditPage(BaseModel):
    items: list[AuditRow]
    next_after_seq: int | None


class AuditVerified(BaseModel):
    rows: int
    intact: bool
    first_broken_seq: int | None
    pending: int
    oldest_pending_at: datetime | None


class Grant(BaseModel):
    case_id: UUID
    agency_id: str
    source: str  # referral | meeting | plan
    source_id: UUID
    legal_basis: str | None
    consent_id: UUID | None
    granted_at: datetime
    access_until: date | None  # last day; None: until ended
    ended_at: datetime | None
    end_reason: str | None


class AccessLog(AuditPage):
    person_id: UUID
    grants: list[Grant]
