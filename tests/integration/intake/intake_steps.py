"""Small steps the intake integration tests compose (each asserts its own success)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from kasane_dev.testing.services import RunningService

Auth = Callable[..., dict[str, str]]


def unique_kana() -> str:
    """A ふりがな no other test uses (katakana from the uuid's hex digits)."""
    digits = "アイウエオカキクケコサシスセソタ"
    return "テスト " + "".join(digits[int(c, 16)] for c in uuid.uuid4().hex[:8])


def person_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "name": "久留米 花子",
        "kana": unique_kana(),
        "birth_date": "1944-05-10",
        "sex": "female",
        "address": "久留米市城南町三丁目五番地二号",
        "phone": "0942-00-0000",
        "school_district_code": "05",
    }
    return {**body, **overrides}


async def register_person(intake: RunningService, headers: dict[str, str], **overrides: Any) -> str:
    response = await intake.client.post("/persons", json=person_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["person_id"])


async def register_household(
    intake: RunningService, headers: dict[str, str], members: list[dict[str, Any]]
) -> str:
    response = await intake.client.post("/households", json={"members": members}, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["household_id"])


def consultation(**overrides: Any) -> dict[str, Any]:
    body = {
        "received_at": "2025-06-10T10:00:00+09:00",
        "issue_codes": ["elderly_care", "hikikomori"],
        "age_band": "80-89",
        "school_district_code": "05",
        "channel": "in_person",
        "consulted_by": "self",
        "narrative": "息子が長年外出していない。",
    }
    return {**body, **overrides}


async def household_case(intake: RunningService, headers: dict[str, str]) -> dict[str, str]:
    """An 8050 household (mother 81, son 52) with an open case led by the caller's agency."""
    mother = await register_person(intake, headers)
    son = await register_person(
        intake, headers, name="久留米 一郎", birth_date="1973-01-20", sex="male"
    )
    household = await register_household(
        intake,
        headers,
        [
            {"person_id": son, "relationship": "self", "care_role": "cared_for"},
            {"person_id": mother, "relationship": "parent", "care_role": "carer"},
        ],
    )
    response = await intake.client.post(
        "/consultations",
        json=consultation(household_id=household, person_id=son),
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return {
        "mother": mother,
        "son": son,
        "household": household,
        "case": response.json()["case_id"],
        "consultation": response.json()["consultation_id"],
    }


async def record_consent(
    intake: RunningService,
    headers: dict[str, str],
    case_id: str,
    person_id: str,
    agencies: list[str],
    meeting_types: list[str] | None = None,
) -> str:
    response = await intake.client.post(
        f"/cases/{case_id}/consents",
        json={
            "person_id": person_id,
            "scope": {"agencies": agencies, "programs": [], "meeting_types": meeting_types or []},
            "method": "written",
            "consented_on": date.today().isoformat(),
            "expires_on": None,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["consent_id"])
