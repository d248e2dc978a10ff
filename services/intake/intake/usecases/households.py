"""Households (世帯): register one from known persons; read it with its situations."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from intake.domain.models import Member
from intake.domain.persons import HouseholdIn, MemberFacts, age_on, household_situations
from intake.store import persons
from intake.usecases.access import household_access, person_access
from intake.usecases.transaction import record_created, unit_of_work
from kasane.auth import Principal
from kasane.clock import system_clock
from kasane.ids import uuid7


@dataclass(frozen=True)
class HouseholdView:
    members: list[tuple[Member, MemberFacts]]
    situations: list[str]  # 8050, double_care, young_carer


async def register_household(
    pool: asyncpg.Pool, principal: Principal, data: HouseholdIn, purpose: str
) -> UUID:
    household_id = uuid7()
    async with unit_of_work(pool) as conn:
        for i, member in enumerate(data.members):
            await person_access(
                conn,
                principal,
                member.person_id,
                action="link",
                purpose=purpose,
                field=f"members.{i}.person_id",
            )
        await persons.insert_household(conn, household_id, data, principal.agency, principal.sub)
        await record_created(
            conn,
            principal,
            record_type="household",
            record_id=household_id,
            subject_id=household_id,
            purpose=purpose,
        )
    return household_id


async def read_household(
    pool: asyncpg.Pool, principal: Principal, household_id: UUID, purpose: str
) -> HouseholdView:
    async with unit_of_work(pool) as conn:
        await household_access(conn, principal, household_id, action="read", purpose=purpose)
        rows = await persons.members(conn, household_id)
    today = system_clock().today()
    facts = [
        MemberFacts(
            r.relationship,
            r.care_role,
            age_on(r.birth_date, today) if r.birth_date else None,
        )
        for r in rows
    ]
    return HouseholdView(list(zip(rows, facts, strict=True)), household_situations(facts))
