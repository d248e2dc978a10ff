"""The access rules (docs/architecture/access-rules.md), learned from real events on Kafka.

Each rule: the owner sees; a stranger gets 404 (and the denial is audited); a referral
partner sees while the referral lives; a meeting member sees the case on its agenda; a plan
role works the case until the plan ends; consent withdrawal stops sharing at once; city
roles never see a person.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from kasane.events import wrap
from kasane.events.envelope import EventContract
from kasane.events.meetings import CaseDiscussed, PlanEnded, RoleAssignment, RolesAssigned
from kasane.events.referral import ReferralRequested, ReferralRevoked
from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, produce
from tests.integration.intake.intake_steps import Auth, household_case, record_consent

pytestmark = pytest.mark.integration

OWNER = "houkatsu-04"


async def _publish(settings: Settings, producer: str, contract: EventContract) -> None:
    envelope = wrap(contract, producer=producer, municipality_code="402036", agency_id=None)
    await produce(
        settings.kafka_bootstrap,
        topic_for(producer, settings.topic_namespace),
        [(contract.partition_key().encode(), envelope.to_bytes())],
    )


def _reader(
    intake: RunningService, auth: Auth, agency: str, role: str = "counselor"
) -> Callable[[str], Awaitable[int]]:
    async def status_of(path: str) -> int:
        response = await intake.client.get(path, headers=auth(agency, role))
        return response.status_code

    return status_of


async def _audit_rows(dsn: str, case_id: str, agency: str) -> list[Any]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(
            await conn.fetch(
                "SELECT outcome, legal_basis FROM access_audit"
                " WHERE subject_id = $1 AND actor_agency = $2 ORDER BY seq NULLS LAST, xid, id",
                case_id,
                agency,
            )
        )
    finally:
        await conn.close()


async def test_stranger_gets_404_and_the_denial_is_audited(
    intake: RunningService, auth: Auth
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    stranger = _reader(intake, auth, "kikan-03")
    assert await stranger(f"/cases/{ids['case']}") == 404
    assert await stranger(f"/persons/{ids['son']}") == 404
    assert await stranger(f"/households/{ids['household']}") == 404
    assert await stranger(f"/cases/{uuid.uuid4()}") == 404  # same answer as for a real case
    rows = await _audit_rows(intake.dsn, ids["case"], "kikan-03")
    assert [r["outcome"] for r in rows] == ["denied"]


async def test_city_and_auditor_roles_never_see_a_person(
    intake: RunningService, auth: Auth
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    for agency, role in (
        ("city-chiiki-fukushi", "city_official"),
        ("city-chiiki-fukushi", "auditor"),
    ):
        response = await intake.client.get(f"/cases/{ids['case']}", headers=auth(agency, role))
        assert response.status_code == 403
        response = await intake.client.get(f"/persons/{ids['son']}", headers=auth(agency, role))
        assert response.status_code == 403


async def test_referral_partner_sees_the_case_while_the_referral_lives(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    consent = await record_consent(
        intake, auth(OWNER, "counselor"), ids["case"], ids["son"], ["kikan-01"]
    )
    partner = _reader(intake, auth, "kikan-01")
    assert await partner(f"/cases/{ids['case']}") == 404
    referral_id = uuid.uuid4()
    await _publish(
        settings,
        "referral",
        ReferralRequested(
            referral_id=referral_id,
            case_id=uuid.UUID(ids["case"]),
            from_agency_id=OWNER,
            to_agency_id="kikan-01",
            reason_codes=["disability"],
            legal_basis="consent",
            consent_id=uuid.UUID(consent),
            requested_at=datetime.now(UTC),
            requested_on=date.today(),
            due_on=date.today(),
        ),
    )
    await eventually(lambda: partner(f"/cases/{ids['case']}"), lambda s: s == 200)
    case = (
        await intake.client.get(f"/cases/{ids['case']}", headers=auth("kikan-01", "counselor"))
    ).json()
    assert case["access"] == {"level": "case", "basis": "consent"}
    assert await partner(f"/persons/{ids['son']}") == 200
    assert await partner(f"/cases/{ids['case']}/records") == 404  # the timeline is not granted
    conn = await asyncpg.connect(intake.dsn)
    try:
        refused = await conn.fetch(
            "SELECT outcome, legal_basis FROM access_audit WHERE actor_agency = 'kikan-01'"
            " AND record_type = 'case_records' AND subject_id = $1",
            ids["case"],
        )
    finally:
        await conn.close()
    # Seeing the case does not make reading its timeline "allowed" in the audit.
    assert [(r["outcome"], r["legal_basis"]) for r in refused] == [("denied", None)]
    assert await partner(f"/cases/{ids['case']}/sheet") == 404

    await _publish(
        settings,
        "referral",
        ReferralRevoked(
            referral_id=referral_id,
            case_id=uuid.UUID(ids["case"]),
            revoked_at=datetime.now(UTC),
            reason_code="by_sender",
        ),
    )
    await eventually(lambda: partner(f"/cases/{ids['case']}"), lambda s: s == 404)
    rows = await _audit_rows(intake.dsn, ids["case"], "kikan-01")
    assert rows[0]["outcome"] == "denied"
    assert ("allowed", "consent") in [(r["outcome"], r["legal_basis"]) for r in rows]


async def test_consent_withdrawal_stops_sharing_at_once(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    consent = await record_consent(intake, owner, ids["case"], ids["son"], ["jiritsu"])
    await _publish(
        settings,
        "referral",
        ReferralRequested(
            referral_id=uuid.uuid4(),
            case_id=uuid.UUID(ids["case"]),
            from_agency_id=OWNER,
            to_agency_id="jiritsu",
            reason_codes=["poverty"],
            legal_basis="consent",
            consent_id=uuid.UUID(consent),
            requested_at=datetime.now(UTC),
            requested_on=date.today(),
            due_on=date.today(),
        ),
    )
    partner = _reader(intake, auth, "jiritsu")
    await eventually(lambda: partner(f"/cases/{ids['case']}"), lambda s: s == 200)
    withdrawn = await intake.client.post(
        f"/consents/{consent}/withdraw",
        json={"withdrawn_on": date.today().isoformat()},
        headers=owner,
    )
    assert withdrawn.status_code == 200
    # No event round trip needed: intake stops sharing in the withdrawal's own transaction.
    assert await partner(f"/cases/{ids['case']}") == 404


async def test_support_meeting_member_sees_the_case_on_its_agenda(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    member, outsider = _reader(intake, auth, "kodomo"), _reader(intake, auth, "kikan-04")
    await _publish(
        settings,
        "meetings",
        CaseDiscussed(
            meeting_id=uuid.uuid4(),
            agenda_item_id=uuid.uuid4(),
            case_id=uuid.UUID(ids["case"]),
            meeting_type="support_meeting",
            kind="information_sharing",
            legal_basis="support_meeting",
            discussed_on=date.today(),
            member_agency_ids=["kodomo", "shakyo"],
            access_until=date.today() + timedelta(days=90),
        ),
    )
    await eventually(lambda: member(f"/cases/{ids['case']}"), lambda s: s == 200)
    assert await outsider(f"/cases/{ids['case']}") == 404


async def test_plan_role_works_the_case_until_the_plan_ends(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    plan_id, case_id = uuid.uuid4(), uuid.UUID(ids["case"])
    role = _reader(intake, auth, "aso", "coordinator")
    await _publish(
        settings,
        "meetings",
        RolesAssigned(
            plan_id=plan_id,
            case_id=case_id,
            meeting_id=uuid.uuid4(),
            assigned_on=date.today(),
            roles=[
                RoleAssignment(agency_id=OWNER, role_code="lead", lead=True),
                RoleAssignment(agency_id="aso", role_code="participation"),
            ],
        ),
    )
    await eventually(lambda: role(f"/cases/{ids['case']}/records"), lambda s: s == 200)
    added = await intake.client.post(
        f"/cases/{ids['case']}/records",
        json={"kind": "call", "occurred_at": "2025-09-01T09:00:00+09:00", "body": "電話で状況確認"},
        headers=auth("aso", "coordinator"),
    )
    assert added.status_code == 201
    # A plan role works the case but does not close it: that is the 主担当's decision.
    closing = await intake.client.post(
        f"/cases/{ids['case']}/close",
        json={"reason": "resolved", "closed_on": "2025-09-02"},
        headers=auth("aso", "coordinator"),
    )
    assert closing.status_code == 403
    await _publish(
        settings,
        "meetings",
        PlanEnded(
            plan_id=plan_id,
            case_id=case_id,
            program="multiagency",
            ended_on=date.today(),
            end_kind="completed",
            reason_code="goals_met",
        ),
    )
    await eventually(lambda: role(f"/cases/{ids['case']}"), lambda s: s == 404)


async def test_an_agency_dropped_from_the_roles_loses_access(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    plan_id, case_id = uuid.uuid4(), uuid.UUID(ids["case"])

    def assigned(*agencies: str) -> RolesAssigned:
        return RolesAssigned(
            plan_id=plan_id,
            case_id=case_id,
            meeting_id=uuid.uuid4(),
            assigned_on=date.today(),
            roles=[RoleAssignment(agency_id=a, role_code="support") for a in agencies],
        )

    kept, dropped = _reader(intake, auth, "jiritsu"), _reader(intake, auth, "kikan-02")
    await _publish(settings, "meetings", assigned("jiritsu", "kikan-02"))
    await eventually(lambda: dropped(f"/cases/{ids['case']}"), lambda s: s == 200)
    # The plan continues after its evaluation, without kikan-02.
    await _publish(settings, "meetings", assigned("jiritsu"))
    await eventually(lambda: dropped(f"/cases/{ids['case']}"), lambda s: s == 404)
    assert await kept(f"/cases/{ids['case']}") == 200


async def test_a_grant_on_an_expired_consent_shows_nothing(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    response = await intake.client.post(
        f"/cases/{ids['case']}/consents",
        json={
            "person_id": ids["son"],
            "scope": {"agencies": ["kikan-04"]},
            "method": "written",
            "consented_on": "2025-01-06",
            "expires_on": "2025-06-30",
        },
        headers=owner,
    )
    assert response.status_code == 201, response.text
    await _publish(
        settings,
        "referral",
        ReferralRequested(
            referral_id=uuid.uuid4(),
            case_id=uuid.UUID(ids["case"]),
            from_agency_id=OWNER,
            to_agency_id="kikan-04",
            reason_codes=["disability"],
            legal_basis="consent",
            consent_id=uuid.UUID(response.json()["consent_id"]),
            requested_at=datetime.now(UTC),
            requested_on=date.today(),
            due_on=date.today(),
        ),
    )
    conn = await asyncpg.connect(intake.dsn)
    try:
        await eventually(
            lambda: conn.fetchval(
                "SELECT count(*) FROM access_grants WHERE case_id = $1::uuid AND agency_id = $2",
                ids["case"],
                "kikan-04",
            ),
            lambda n: n == 1,
        )
    finally:
        await conn.close()
    # The grant exists, but the consent it rests on ended on 2025-06-30.
    assert await _reader(intake, auth, "kikan-04")(f"/cases/{ids['case']}") == 404
