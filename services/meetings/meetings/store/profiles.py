"""世帯概要 read model (``case_profiles``), fed by intake's ConsultationReceived and
CaseClassified: codes, bands and flags only."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from kasane.events.intake import CaseClassified, ConsultationReceived
from meetings.domain.profile import CaseProfile


async def consultation(conn: asyncpg.Connection, event: ConsultationReceived) -> None:
    """A consultation on a case: its codes join the case's; 年代, 校区 and the household
    come from the latest consultation by received time (a late entry of an older one
    does not overwrite them; a consultation without a household keeps the known one)."""
    assert event.case_id is not None
    await conn.execute(
        "INSERT INTO case_profiles AS p (case_id, age_band, school_district_code, issue_codes,"
        " is_complex, between_systems, household_situations, household_size_band, as_of)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (case_id) DO UPDATE SET"
        "  issue_codes = p.issue_codes || ARRAY(SELECT c FROM unnest(EXCLUDED.issue_codes) c"
        "    WHERE c <> ALL (p.issue_codes)),"
        "  is_complex = p.is_complex OR EXCLUDED.is_complex,"
        "  between_systems = p.between_systems OR EXCLUDED.between_systems,"
        "  age_band = CASE WHEN _newer THEN EXCLUDED.age_band ELSE p.age_band END,"
        "  school_district_code = CASE WHEN _newer THEN EXCLUDED.school_district_code"
        "    ELSE p.school_district_code END,"
        "  household_situations = CASE WHEN _newer AND EXCLUDED.household_size_band IS NOT NULL"
        "    THEN EXCLUDED.household_situations ELSE p.household_situations END,"
        "  household_size_band = CASE WHEN _newer AND EXCLUDED.household_size_band IS NOT NULL"
        "    THEN EXCLUDED.household_size_band ELSE p.household_size_band END,"
        "  as_of = greatest(p.as_of, EXCLUDED.as_of)".replace(
            "_newer", "(p.as_of IS NULL OR EXCLUDED.as_of >= p.as_of)"
        ),
        event.case_id,
        event.age_band,
        event.school_district_code,
        list(event.issue_codes),
        event.is_complex,
        event.between_systems,
        list(event.household_situations) if event.household_situations is not None else None,
        event.household_size_band,
        event.received_at,
    )


async def classified(conn: asyncpg.Connection, event: CaseClassified) -> None:
    """intake's classification is the case's whole list of issues (課題の整理)."""
    await conn.execute(
        "INSERT INTO case_profiles AS p (case_id, issue_codes, is_complex, between_systems)"
        " VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (case_id) DO UPDATE SET issue_codes = EXCLUDED.issue_codes,"
        "  is_complex = EXCLUDED.is_complex, between_systems = EXCLUDED.between_systems",
        event.case_id,
        list(event.issue_codes),
        event.is_complex,
        event.between_systems,
    )


async def for_cases(conn: asyncpg.Connection, case_ids: list[UUID]) -> dict[UUID, CaseProfile]:
    rows = await conn.fetch(
        "SELECT case_id, age_band, school_district_code, issue_codes, is_complex,"
        " between_systems, household_situations, household_size_band"
        " FROM case_profiles WHERE case_id = ANY($1)",
        case_ids,
    )
    return {
        r["case_id"]: CaseProfile(
            case_id=r["case_id"],
            age_band=r["age_band"],
            school_district_code=r["school_district_code"],
            issue_codes=list(r["issue_codes"]),
            is_complex=r["is_complex"],
            between_systems=r["between_systems"],
            household_situations=(
                list(r["household_situations"]) if r["household_situations"] is not None else None
            ),
            household_size_band=r["household_size_band"],
        )
        for r in rows
    }
