"""Access and refusals: stranger 404, revoked referral closes the participation, enrolment
paths, plan returned, the community directory read model."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from kasane.clock import Clock
from kasane.events.community import ResourceWithdrawn
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.participation.participation_fixtures import (
    ASO,
    PLAN,
    Auth,
    accepted_program_referral,
    approve,
    community_resource,
    enrolled_from,
    own_resource,
    participant,
    publish_resource,
    return_plan,
    status_of,
)
from tests.integration.referral.referral_fixtures import (
    events_of,
    fetchval,
    open_case,
    publish,
    record_consent,
    types_of,
    withdraw_consent,
)

pytestmark = pytest.mark.integration

OWNER = "houkatsu-09"


async def test_stranger_404_referrer_reads_only(
    referral: RunningService, participation: RunningService, auth: Auth, settings: Settings
) -> None:
    _, _, referral_id = await accepted_program_referral(settings, referral, auth, OWNER)
    pid = await enrolled_from(participation, auth, referral_id)
    stranger = await participant(participation, auth, pid, agency="kodomo")
    missing = await participant(participation, auth, uuid4(), agency="kodomo")
    assert stranger.status_code == missing.status_code == 404
    assert stranger.json()["errors"] == missing.json()["errors"]
    # The referring agency follows progress, but only アソウ changes the record.
    assert (await participant(participation, auth, pid, agency=OWNER)).status_code == 200
    write = await participation.client.post(
        f"/participants/{pid}/plans", json=PLAN, headers=auth(OWNER, "counselor")
    )
    assert write.status_code == 403
    stranger_write = await participation.client.post(
        f"/participants/{pid}/plans", json=PLAN, headers=auth("kodomo", "counselor")
    )
    assert stranger_write.status_code == 404
    denied = await fetchval(
        participation.dsn,
        "SELECT count(*) FROM access_audit WHERE record_id = $1 AND outcome = 'denied'"
        " AND actor_agency <> 'aso'",  # アソウ's polls before the enrolment landed are denials too
        str(pid),
    )
    assert denied == 3


async def test_revoked_referral_ends_participation_and_access(
    referral: RunningService, participation: RunningService, auth: Auth, settings: Settings
) -> None:
    aso = auth(ASO, "coordinator")
    case_id, consent_id, referral_id = await accepted_program_referral(
        settings, referral, auth, OWNER
    )
    pid = await enrolled_from(participation, auth, referral_id)
    plan = await participation.client.post(f"/participants/{pid}/plans", json=PLAN, headers=aso)
    await approve(settings, case_id, UUID(plan.json()["id"]))
    await eventually(lambda: status_of(participation, auth, pid), lambda s: s == "active")
    resource = await own_resource(participation, auth, capacity=3)
    placed = await participation.client.post(
        f"/participants/{pid}/placements",
        json={"resource_id": str(resource), "started_on": Clock().today().isoformat()},
        headers=aso,
    )
    assert placed.status_code == 201

    await withdraw_consent(settings, case_id, consent_id, OWNER)

    await eventually(lambda: status_of(participation, auth, pid), lambda s: s == "(404)")
    assert (await participant(participation, auth, pid, agency=OWNER)).status_code == 404
    listed = await participation.client.get("/participants", headers=aso)
    assert str(pid) not in {p["participant_id"] for p in listed.json()}
    envelopes = await eventually(
        lambda: events_of(settings, "participation", case_id),
        lambda found: "ParticipationEnded" in types_of(found),
    )
    assert types_of(envelopes)[-2:] == ["PlacementEnded", "ParticipationEnded"]
    assert {e["payload"]["outcome_code"] for e in envelopes[-2:]} == {"referral_revoked"}
    # The place it held is free again.
    seen = await participation.client.get(f"/resources/{resource}", headers=aso)
    assert seen.json()["in_use"] == 0


async def test_enrolment_by_post(
    referral: RunningService, participation: RunningService, auth: Auth, settings: Settings
) -> None:
    aso = auth(ASO, "coordinator")
    case_id = await open_case(settings, referral, OWNER)
    await record_consent(settings, referral, case_id, OWNER, agencies=[ASO])
    created = await referral.client.post(
        "/referrals",
        json={"case_id": str(case_id), "to_agency": ASO, "reason_codes": ["employment"]},
        headers=auth(OWNER),
    )
    rid = created.json()["referral_id"]
    body = {"referral_id": rid, "age_band": "20-29", "school_district_code": "05"}

    async def grant_status() -> object:
        return await fetchval(
            participation.dsn,
            "SELECT status FROM referral_grants WHERE referral_id = $1",
            UUID(rid),
        )

    await eventually(grant_status, lambda s: s == "requested")
    not_yet = await participation.client.post("/participants", json=body, headers=aso)
    assert not_yet.status_code == 409  # requested, not accepted
    await referral.client.post(f"/referrals/{rid}/accept", headers=aso)
    await eventually(grant_status, lambda s: s == "accepted")
    enrolled = await participation.client.post("/participants", json=body, headers=aso)
    assert enrolled.status_code == 201, enrolled.text
    again = await participation.client.post("/participants", json=body, headers=aso)
    assert again.status_code == 409
    unknown = await participation.client.post(
        "/participants", json={"referral_id": str(uuid4())}, headers=aso
    )
    assert unknown.status_code == 404
    by_other = await participation.client.post("/participants", json=body, headers=auth(OWNER))
    assert by_other.status_code == 403

    by_meeting = await participation.client.post(
        "/participants",
        json={"meeting_decision_id": str(uuid4()), "case_id": str(uuid4())},
        headers=aso,
    )
    assert by_meeting.status_code == 201
    detail = await participant(participation, auth, UUID(by_meeting.json()["id"]))
    assert detail.json()["legal_basis"] == "support_meeting"
    bad = await participation.client.post(
        "/participants", json={"meeting_decision_id": str(uuid4())}, headers=aso
    )
    assert bad.status_code == 422


async def test_returned_plan_can_be_resubmitted(
    referral: RunningService, participation: RunningService, auth: Auth, settings: Settings
) -> None:
    aso = auth(ASO, "coordinator")
    case_id, _, referral_id = await accepted_program_referral(settings, referral, auth, OWNER)
    pid = await enrolled_from(participation, auth, referral_id)
    first = await participation.client.post(f"/participants/{pid}/plans", json=PLAN, headers=aso)
    await return_plan(settings, case_id, UUID(first.json()["id"]))
    await eventually(lambda: status_of(participation, auth, pid), lambda s: s == "enrolled")
    second = await participation.client.post(f"/participants/{pid}/plans", json=PLAN, headers=aso)
    assert second.status_code == 201
    plans = (await participant(participation, auth, pid)).json()["plans"]
    assert [p["status"] for p in plans] == ["returned", "submitted"]


async def test_community_directory_read_model(
    participation: RunningService, auth: Auth, settings: Settings
) -> None:
    reader = auth("houkatsu-01", "counselor")
    resource_id = await community_resource(settings, version=2, capacity=8)

    async def get() -> dict[str, object]:
        response = await participation.client.get(f"/resources/{resource_id}", headers=reader)
        return dict(response.json()) if response.status_code == 200 else {}

    await eventually(get, lambda r: r.get("capacity") == 8)
    # An older version arriving late changes nothing.
    await publish_resource(settings, resource_id, version=1, capacity=99, district="02")
    marker = await community_resource(settings)
    await eventually(
        lambda: participation.client.get(f"/resources/{marker}", headers=reader),
        lambda r: r.status_code == 200,
    )
    assert (await get())["capacity"] == 8
    # アソウ sets aside its own number of places; staff of other agencies may not.
    override = await participation.client.put(
        f"/resources/{resource_id}/capacity", json={"capacity": 2}, headers=auth(ASO, "manager")
    )
    assert override.status_code == 200
    assert override.json()["capacity"] == 2 and override.json()["published_capacity"] == 8
    refused = await participation.client.put(
        f"/resources/{resource_id}/capacity",
        json={"capacity": 2},
        headers=auth("shakyo", "manager"),
    )
    assert refused.status_code == 403

    await publish(
        settings,
        "community",
        ResourceWithdrawn(resource_id=resource_id, withdrawn_on=Clock().today()),
        "shakyo",
    )

    async def listed() -> set[str]:
        response = await participation.client.get(
            "/resources", params={"category": "kodomo_shokudo"}, headers=reader
        )
        return {r["resource_id"] for r in response.json()}

    await eventually(listed, lambda ids: str(resource_id) not in ids)


async def test_bad_resource_is_422_and_not_written(
    participation: RunningService, auth: Auth
) -> None:
    before = await fetchval(participation.dsn, "SELECT count(*) FROM resources")
    response = await participation.client.post(
        "/resources",
        json={
            "organization": {"name": "x"},
            "service": {"name": "y", "category": "ibasho"},
            "eligibility": {"age_min": 70, "age_max": 20},
        },
        headers=auth(ASO, "coordinator"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "eligibility"
    assert await fetchval(participation.dsn, "SELECT count(*) FROM resources") == before
