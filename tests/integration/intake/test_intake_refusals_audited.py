"""Every refused attempt on a personal record in intake is audited as denied (issue 12
item 5): roles refused before the record is looked up (403), agencies that may see a case
but may not act as its lead (403), and strangers of every case-work role (404)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import asyncpg
import pytest

from kasane.events import wrap
from kasane.events.meetings import RoleAssignment, RolesAssigned
from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, produce
from tests.integration.intake.intake_steps import Auth, household_case, record_consent

pytestmark = pytest.mark.integration

OWNER = "houkatsu-07"
CITY = ("city-chiiki-fukushi", "city_official")
AUDITOR = ("city-shogai", "auditor")


async def _denials(dsn: str, agency: str) -> list[tuple[str, str, str]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT record_type, record_id, action FROM access_audit"
            " WHERE actor_agency = $1 AND outcome = 'denied' ORDER BY seq NULLS LAST, xid, id",
            agency,
        )
        return [(r["record_type"], r["record_id"], r["action"]) for r in rows]
    finally:
        await conn.close()


async def _new_denials(
    intake: RunningService, agency: str, before: list[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    return (await _denials(intake.dsn, agency))[len(before) :]


@pytest.mark.parametrize("who", [CITY, AUDITOR], ids=lambda w: w[1])
async def test_roles_refused_before_the_lookup_are_audited(
    who: tuple[str, str], intake: RunningService, auth: Auth
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    headers = auth(*who)
    attempts: list[tuple[str, str, dict[str, Any] | None, tuple[str, str, str]]] = [
        ("GET", f"/persons/{ids['son']}", None, ("person", ids["son"], "read")),
        ("GET", f"/households/{ids['household']}", None, ("household", ids["household"], "read")),
        ("GET", f"/cases/{ids['case']}", None, ("case", ids["case"], "read")),
        ("GET", f"/cases/{ids['case']}/records", None, ("case", ids["case"], "read")),
        ("GET", f"/cases/{ids['case']}/sheet", None, ("case", ids["case"], "read")),
        (
            "POST",
            f"/cases/{ids['case']}/close",
            {"reason": "resolved", "closed_on": "2025-09-02"},
            ("case", ids["case"], "change"),
        ),
    ]
    for method, path, body, expected in attempts:
        before = await _denials(intake.dsn, who[0])
        response = await intake.client.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (path, response.text)
        assert await _new_denials(intake, who[0], before) == [expected], path


async def test_the_refusal_shows_in_the_persons_disclosure_log(
    intake: RunningService, auth: Auth
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    refused = await intake.client.get(f"/persons/{ids['son']}", headers=auth(*CITY))
    assert refused.status_code == 403
    log = await intake.client.get(
        f"/persons/{ids['son']}/access-log", headers=auth("city-chiiki-fukushi", "auditor")
    )
    assert log.status_code == 200, log.text
    rows = [(i["actor_agency"], i["outcome"]) for i in log.json()["items"]]
    assert (CITY[0], "denied") in rows


async def test_a_stranger_coordinator_or_manager_gets_404_and_is_audited(
    intake: RunningService, auth: Auth
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    for role in ("coordinator", "manager"):
        before = await _denials(intake.dsn, "kikan-04")
        response = await intake.client.get(f"/cases/{ids['case']}", headers=auth("kikan-04", role))
        assert response.status_code == 404
        assert await _new_denials(intake, "kikan-04", before) == [("case", ids["case"], "read")]


async def test_an_agency_that_sees_the_case_but_is_not_its_lead_is_refused_and_audited(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    consent_id = await record_consent(intake, owner, ids["case"], ids["son"], ["jiritsu"])
    roles = RolesAssigned(
        plan_id=uuid.uuid4(),
        case_id=uuid.UUID(ids["case"]),
        meeting_id=uuid.uuid4(),
        assigned_on=date.today(),
        roles=[
            RoleAssignment(agency_id=OWNER, role_code="lead", lead=True),
            RoleAssignment(agency_id="jiritsu", role_code="support"),
        ],
    )
    envelope = wrap(roles, producer="meetings", municipality_code="402036", agency_id=None)
    await produce(
        settings.kafka_bootstrap,
        topic_for("meetings", settings.topic_namespace),
        [(roles.partition_key().encode(), envelope.to_bytes())],
    )
    partner = auth("jiritsu", "counselor")

    async def status() -> int:
        return (await intake.client.get(f"/cases/{ids['case']}", headers=partner)).status_code

    await eventually(status, lambda s: s == 200)

    before = await _denials(intake.dsn, "jiritsu")
    closing = await intake.client.post(
        f"/cases/{ids['case']}/close",
        json={"reason": "resolved", "closed_on": date.today().isoformat()},
        headers=partner,
    )
    assert closing.status_code == 403 and closing.json()["errors"][0]["field"] == "case_id"
    consenting = await intake.client.post(
        f"/cases/{ids['case']}/consents",
        json={
            "person_id": ids["son"],
            "scope": {"agencies": ["kodomo"], "programs": [], "meeting_types": []},
            "method": "written",
            "consented_on": date.today().isoformat(),
            "expires_on": None,
        },
        headers=partner,
    )
    assert consenting.status_code == 403
    withdrawing = await intake.client.post(
        f"/consents/{consent_id}/withdraw",
        json={"withdrawn_on": date.today().isoformat()},
        headers=partner,
    )
    assert withdrawing.status_code == 403
    new = await _new_denials(intake, "jiritsu", before)
    assert [(t, a) for t, _, a in new] == [
        ("case", "close"),
        ("consent", "create"),
        ("consent", "withdraw"),
    ]
    assert new[0][1] == ids["case"] and new[2][1] == consent_id
    # Nothing was changed by the refused attempts.
    case = await intake.client.get(f"/cases/{ids['case']}", headers=owner)
    assert case.json()["status"] == "open"
