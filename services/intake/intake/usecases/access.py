"""The use cases' access guard: decide, audit, and refuse.

Every read or change of personal data goes through one of these functions inside the
request's transaction, so the audit row commits with the access. A denial is audited too:
``transaction.unit_of_work`` rolls the request back and then writes the denial row in a
transaction of its own, before answering 404 (existence is never revealed) — or 403 when
the caller may see the case but only its lead agency may act (:func:`lead_only`). Roles
refused before any lookup (city roles, auditors) are audited by
``kasane.auth.dependencies.require_roles``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar
from uuid import UUID

import asyncpg

from intake.domain.access import (
    CASE_WORK_ROLES,
    Decision,
    Level,
    decide,
    may_read_cases,
    owner_decision,
)
from intake.domain.models import Case, Household, Person
from intake.store import cases, consents, grants, persons
from intake.usecases.transaction import Denied, not_found
from kasane.audit import AccessEntry, record_access
from kasane.auth import Principal
from kasane.clock import system_clock
from kasane.errors import Forbidden

R = TypeVar("R", Person, Household)


class Registered(Protocol):
    """A person or household record: who registered it decides who sees it first."""

    @property
    def id(self) -> UUID: ...

    @property
    def registered_by_agency(self) -> str: ...


def lead_only(
    principal: Principal,
    decision: Decision,
    *,
    record_type: str,
    record_id: UUID,
    subject_id: UUID,
    action: str,
    purpose: str,
    field: str,
    reason: str,
) -> None:
    """Only the 主担当 (owner) may do this. Another agency that may see the case is told so
    (403) — and the refused attempt is audited, like every denial."""
    if decision.basis == "owner":
        return
    entry = _entry(
        principal,
        record_type=record_type,
        record_id=record_id,
        subject_id=subject_id,
        action=action,
        purpose=purpose,
        decision=None,
    )
    raise Denied(entry, Forbidden(field, reason))


def _entry(
    principal: Principal,
    *,
    record_type: str,
    record_id: UUID,
    subject_id: UUID,
    action: str,
    purpose: str,
    decision: Decision | None,
) -> AccessEntry:
    allowed = decision is not None and decision.allowed
    return AccessEntry.by(
        principal,
        record_type=record_type,
        record_id=str(record_id),
        subject_id=str(subject_id),
        action=action,
        purpose=purpose,
        outcome="allowed" if allowed else "denied",
        legal_basis=decision.basis if allowed and decision else None,
    )


async def case_decision(conn: asyncpg.Connection, principal: Principal, case: Case) -> Decision:
    # The owner's decision rests on ownership alone: no round trips for grants and consents.
    owned = owner_decision(principal.agency, principal.roles, case.lead_agency_id)
    if owned is not None:
        return owned
    return decide(
        principal.agency,
        principal.roles,
        case.lead_agency_id,
        await grants.for_case(conn, case.id),
        system_clock().now(),
        await consents.ended_ids(conn, case.id, system_clock().today()),
    )


async def case_access(
    conn: asyncpg.Connection,
    principal: Principal,
    case_id: UUID,
    *,
    need: Level,
    action: str,
    purpose: str,
    record_type: str = "case",
    record_id: UUID | None = None,
    field: str = "case_id",
    lock: bool = False,
) -> tuple[Case, Decision]:
    case, decision, entry = await checked_case_access(
        conn,
        principal,
        case_id,
        need=need,
        action=action,
        purpose=purpose,
        record_type=record_type,
        record_id=record_id,
        field=field,
        lock=lock,
    )
    await record_access(conn, entry)
    return case, decision


async def checked_case_access(
    conn: asyncpg.Connection,
    principal: Principal,
    case_id: UUID,
    *,
    need: Level,
    action: str,
    purpose: str,
    record_type: str = "case",
    record_id: UUID | None = None,
    field: str = "case_id",
    lock: bool = False,
) -> tuple[Case, Decision, AccessEntry]:
    """:func:`case_access` without writing the allowed row: the caller writes ``entry`` in
    the same transaction, with its change (``kasane.audit.access_write``)."""
    case = await (cases.lock_case if lock else cases.get_case)(conn, case_id)
    decision = await case_decision(conn, principal, case) if case is not None else None
    if decision is not None and decision.level < need:
        # Seeing the case is not enough for this action (e.g. the timeline): a denial.
        decision = Decision(Level.NONE, None)
    entry = _entry(
        principal,
        record_type=record_type,
        record_id=record_id or case_id,
        subject_id=case_id,
        action=action,
        purpose=purpose,
        decision=decision,
    )
    if case is None or decision is None or not decision.allowed:
        raise not_found(entry, field)
    return case, decision, entry


async def _best_over_cases(
    conn: asyncpg.Connection, principal: Principal, rows: list[Case]
) -> Decision:
    best = Decision(Level.NONE, None)
    for case in rows:
        decision = await case_decision(conn, principal, case)
        if decision.level > best.level:
            best = decision
    return best


async def registered_record_decision(
    conn: asyncpg.Connection,
    principal: Principal,
    record: Registered,
    cases_of: Callable[[], Awaitable[list[Case]]],
) -> Decision:
    """Whether ``principal`` may see a person or household record (no audit row: callers
    audit what they do with the answer)."""
    if not may_read_cases(principal.agency, principal.roles):
        return Decision(Level.NONE, None)
    if record.registered_by_agency == principal.agency and principal.roles & CASE_WORK_ROLES:
        return Decision(Level.WORK, "owner")
    return await _best_over_cases(conn, principal, await cases_of())


async def person_decision(
    conn: asyncpg.Connection, principal: Principal, record: Registered
) -> Decision:
    """The rule of ``GET /persons/{id}`` for a person row already fetched."""
    return await registered_record_decision(
        conn, principal, record, lambda: cases.cases_of_person(conn, record.id)
    )


async def _registered_record_access(
    conn: asyncpg.Connection,
    principal: Principal,
    record: R | None,
    cases_of: Callable[[], Awaitable[list[Case]]],
    *,
    record_type: str,
    record_id: UUID,
    action: str,
    purpose: str,
    field: str,
) -> R:
    """A person or household: the registering agency sees it, and so does any agency that
    may see a case it belongs to."""
    decision = (
        await registered_record_decision(conn, principal, record, cases_of)
        if record is not None
        else None
    )
    entry = _entry(
        principal,
        record_type=record_type,
        record_id=record_id,
        subject_id=record_id,
        action=action,
        purpose=purpose,
        decision=decision,
    )
    if record is None or decision is None or not decision.allowed:
        raise not_found(entry, field)
    await record_access(conn, entry)
    return record


async def person_access(
    conn: asyncpg.Connection,
    principal: Principal,
    person_id: UUID,
    *,
    action: str,
    purpose: str,
    field: str = "person_id",
) -> Person:
    return await _registered_record_access(
        conn,
        principal,
        await persons.get_person(conn, person_id),
        lambda: cases.cases_of_person(conn, person_id),
        record_type="person",
        record_id=person_id,
        action=action,
        purpose=purpose,
        field=field,
    )


async def household_access(
    conn: asyncpg.Connection,
    principal: Principal,
    household_id: UUID,
    *,
    action: str,
    purpose: str,
    field: str = "household_id",
) -> Household:
    return await _registered_record_access(
        conn,
        principal,
        await persons.get_household(conn, household_id),
        lambda: cases.cases_of_household(conn, household_id),
        record_type="household",
        record_id=household_id,
        action=action,
        purpose=purpose,
        field=field,
    )
