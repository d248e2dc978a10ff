"""Steps shared by participation's integration tests (real referral service upstream)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from kasane.events.community import ResourcePublished
from kasane.events.meetings import PlanApproved, PlanReturned
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from participation.domain.participants import participant_id_for
from tests.integration.helpers import eventually
from tests.integration.referral.referral_fixtures import open_case, publish, record_consent

Auth = Callable[..., dict[str, str]]
ASO = "aso"


async def accepted_program_referral(
    settings: Settings, referral: RunningService, auth: Auth, owner: str
) -> tuple[UUID, UUID, UUID]:
    """A case referred into 参加支援 and accepted by アソウ: (case, consent, referral)."""
    case_id = await open_case(settings, referral, owner)
    consent_id = await record_consent(
        settings, referral, case_id, owner, programs=["participation"]
    )
    created = await referral.client.post(
        "/referrals",
        json={
            "case_id": str(case_id),
            "to_program": "participation",
            "reason_codes": ["hikikomori", "isolation"],
            "note": "10年ほど自室中心の生活",
        },
        headers=auth(owner, "counselor"),
    )
    assert created.status_code == 201, created.text
    referral_id = UUID(created.json()["referral_id"])
    accepted = await referral.client.post(
        f"/referrals/{referral_id}/accept", headers=auth(ASO, "coordinator")
    )
    assert accepted.status_code == 200, accepted.text
    return case_id, consent_id, referral_id


async def participant(
    participation: RunningService, auth: Auth, participant_id: UUID, agency: str = ASO
) -> Any:
    return await participation.client.get(
        f"/participants/{participant_id}", headers=auth(agency, "coordinator")
    )


async def enrolled_from(participation: RunningService, auth: Auth, referral_id: UUID) -> UUID:
    pid = participant_id_for(referral_id)
    await eventually(lambda: participant(participation, auth, pid), lambda r: r.status_code == 200)
    return pid


async def status_of(participation: RunningService, auth: Auth, pid: UUID) -> str:
    response = await participant(participation, auth, pid)
    return str(response.json()["status"]) if response.status_code == 200 else "(404)"


async def approve(settings: Settings, case_id: UUID, plan_id: UUID) -> UUID:
    meeting_id = uuid4()
    await publish(
        settings,
        "meetings",
        PlanApproved(
            plan_id=plan_id,
            case_id=case_id,
            program="participation",
            meeting_id=meeting_id,
            approved_on=date(2025, 7, 23),
        ),
        "shakyo",
    )
    return meeting_id


async def return_plan(settings: Settings, case_id: UUID, plan_id: UUID) -> None:
    await publish(
        settings,
        "meetings",
        PlanReturned(
            plan_id=plan_id,
            case_id=case_id,
            program="participation",
            meeting_id=uuid4(),
            returned_on=date(2025, 7, 23),
            reason_code="needs_more_detail",
        ),
        "shakyo",
    )


async def own_resource(
    participation: RunningService,
    auth: Auth,
    *,
    category: str = "ibasho",
    district: str | None = "01",
    capacity: int | None = 1,
    ages: tuple[int | None, int | None] = (None, None),
) -> UUID:
    created = await participation.client.post(
        "/resources",
        json={
            "organization": {"name": "NPO法人 ひだまり"},
            "service": {"name": "居場所ひだまり", "category": category},
            "location": {"name": "ひだまりハウス", "school_district_code": district},
            "schedules": [{"byday": "TU,TH", "opens_at": "13:00", "closes_at": "16:00"}],
            "eligibility": {"age_min": ages[0], "age_max": ages[1]},
            "capacity": capacity,
        },
        headers=auth(ASO, "coordinator"),
    )
    assert created.status_code == 201, created.text
    return UUID(created.json()["resource_id"])


async def community_resource(
    settings: Settings, *, version: int = 1, capacity: int | None = 10, district: str = "02"
) -> UUID:
    resource_id = uuid4()
    await publish_resource(
        settings, resource_id, version=version, capacity=capacity, district=district
    )
    return resource_id


async def publish_resource(
    settings: Settings, resource_id: UUID, *, version: int, capacity: int | None, district: str
) -> None:
    await publish(
        settings,
        "community",
        ResourcePublished(
            resource_id=resource_id,
            version=version,
            category="kodomo_shokudo",
            school_district_code=district,
            capacity=capacity,
            age_min=None,
            age_max=None,
        ),
        "shakyo",
    )


PLAN = {
    "wishes": "家族以外の人と少し話せるようになりたい",
    "goals": "週1回、居場所に通う",
    "steps": [
        {"stage": "outing", "note": "近所のコンビニまで"},
        {"stage": "ibasho"},
        {"stage": "work_trial"},
    ],
}
