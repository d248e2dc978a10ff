"""intake's records as read: frozen values the store returns and the rules and pages use.

Each class names the columns a reader needs, no more (``store.rows.row_to`` fills one from
a database row by field name). Personal fields (name, kana, birth date, address, phone,
narratives, record bodies) stay inside intake: events carry ids and codes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID


@dataclass(frozen=True)
class CaseSummary:
    """A case as listed for its lead agency: ids and codes, no personal data."""

    id: UUID
    status: str  # open | closed
    opened_on: date
    closed_on: date | None
    issue_codes: list[str]
    between_systems: bool
    school_district_code: str | None


@dataclass(frozen=True)
class Case(CaseSummary):
    household_id: UUID | None
    primary_person_id: UUID | None
    lead_agency_id: str  # 主担当
    close_reason: str | None
    reopened_on: date | None = None  # the last ケース再開, if any


@dataclass(frozen=True)
class Reopening:
    """One ケース再開 and the closure it ended (the case row keeps only the current state)."""

    id: UUID
    reopened_on: date
    reason: str
    note: str | None
    closed_on: date
    close_reason: str | None
    reopened_agency: str


@dataclass(frozen=True)
class Person:
    id: UUID
    name: str
    kana: str
    birth_date: date | None
    sex: str | None
    address: str | None
    phone: str | None
    school_district_code: str | None
    registered_by_agency: str


@dataclass(frozen=True)
class Member(Person):
    """A person in a household: 続柄 seen from its 本人, and their role in care."""

    relationship: str
    care_role: str | None


@dataclass(frozen=True)
class Household:
    id: UUID
    registered_by_agency: str


@dataclass(frozen=True)
class DuplicateKeys:
    """A registered person's normalised keys, compared by ``domain.duplicates``."""

    id: UUID
    kana_normalized: str
    birth_date: date | None
    address_normalized: str | None
    registered_by_agency: str


@dataclass(frozen=True)
class Consultation:
    id: UUID
    agency_id: str
    received_at: datetime
    channel: str
    consulted_by: str | None
    issue_codes: list[str]
    urgency: str
    narrative: str | None
    outcome: str | None
    is_complex: bool
    between_systems: bool
    between_systems_reason: str | None


@dataclass(frozen=True)
class ConsentRecord:
    id: UUID
    case_id: UUID
    person_id: UUID
    scope_agencies: list[str]
    scope_programs: list[str]
    scope_meeting_types: list[str]
    method: str
    consented_on: date
    expires_on: date | None
    withdrawn_on: date | None


@dataclass(frozen=True)
class CaseRecord:
    """One 支援経過記録 entry."""

    id: UUID
    kind: str
    occurred_at: datetime
    body: str
    author_sub: str
    author_agency: str


@dataclass(frozen=True)
class PendingConcern:
    """A 見守りネットワーク concern waiting in an agency's queue (codes only)."""

    concern_id: UUID
    school_district_code: str
    issue_codes: list[str]
    urgency: str
    reported_on: date


@dataclass(frozen=True)
class AuditRow:
    seq: int | None  # chain position; None while the row waits for the sealer
    at: datetime
    actor_agency: str
    actor_sub: str
    record_type: str
    record_id: str
    subject_id: str | None
    action: str
    purpose: str
    legal_basis: str | None
    outcome: str


@dataclass(frozen=True)
class GrantRecord:
    """An access grant on a case as the 開示請求 shows it (``domain.access.Grant`` is the
    same grant as the access rule weighs it)."""

    case_id: UUID
    agency_id: str
    source: str  # referral | meeting | plan
    source_id: UUID
    legal_basis: str
    consent_id: UUID | None
    granted_at: datetime
    expires_on: date | None
    revoked_at: datetime | None
    end_reason: str | None
