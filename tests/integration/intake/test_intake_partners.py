"""連携機関 in intake on the real stack (docs/architecture/partners.md): a consent may name an
active partner and the sheet prints its name; a partner that may hold case access reads the
case through a live referral to it (case level, never the timeline); one that may not is
refused before any lookup; every read and refusal is audited."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import pytest

from kasane.events import wrap
from kasane.events.envelope import EventContract
from kasane.events.referral import ReferralDeclined, ReferralRequested
from kasane.events.topics import topic_for
from kasane.reference.partners import get_partner
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import table_count
from tests.integration.helpers import eventually, produce
from tests.integration.intake.intake_steps import Auth, household_case, record_consent

pytestmark = pytest.mark.integration

OWNER = "houkatsu-06"
HELLOWORK = "hellowork-kurume"  # may hold case access
MINSEI = "minsei-kyogikai"  # may not
INACTIVE = "kyu-shuro-juku"


async def _publish(settings: Settings, contract: EventContract) -> None:
    envelope = wrap(contract, producer="referral", municipality_code="402036", agency_id=None)
    await produce(
        settings.kafka_bootstrap,
        topic_for("referral", settings.topic_namespace),
        [(contract.partition_key().encode(), envelope.to_bytes())],
    )


async def _refer(settings: Settings, ids: dict[str, str], consent: str, to: str) -> uuid.UUID:
    referral_id = uuid.uuid4()
    await _publish(
        settings,
        ReferralRequested(
            referral_id=referral_id,
            case_id=uuid.UUID(ids["case"]),
            from_agency_id=OWNER,
            to_agency_id=to,
            reason_codes=["unemployment"],
            legal_basis="consent",
            consent_id=uuid.UUID(consent),
            requested_at=datetime.now(UTC),
            requested_on=date.today(),
            due_on=date.today(),
        ),
    )
    return referral_id


async def _audit(dsn: str, subject_id: str, agency: str) -> list[tuple[str, str, str | None]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT record_type, outcome, legal_basis FROM access_audit"
            " WHERE subject_id = $1 AND actor_agency = $2 ORDER BY seq NULLS LAST, xid, id",
            subject_id,
            agency,
        )
    finally:
        await conn.close()
    return [(r["record_type"], r["outcome"], r["legal_basis"]) for r in rows]


async def test_a_consent_may_name_an_active_partner_and_the_sheet_prints_its_name(
    intake: RunningService, auth: Auth
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    await record_consent(intake, owner, ids["case"], ids["son"], [HELLOWORK, "jiritsu"])
    case = (await intake.client.get(f"/cases/{ids['case']}", headers=owner)).json()
    assert case["consents"][0]["scope"]["agencies"] == sorted([HELLOWORK, "jiritsu"])
    sheet = await intake.client.get(f"/cases/{ids['case']}/sheet", headers=owner)
    assert sheet.status_code == 200, sheet.text
    assert get_partner(HELLOWORK).name_ja in sheet.text
    assert HELLOWORK not in sheet.text  # the name, never the id


@pytest.mark.parametrize(
    ("party", "reason"),
    [(INACTIVE, "活動を終えた連携機関です"), ("no-such-partner", "未知の機関")],
)
async def test_a_consent_naming_an_inactive_or_unknown_partner_is_422(
    party: str, reason: str, intake: RunningService, auth: Auth
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    before = await table_count(intake.dsn, "consents")
    response = await intake.client.post(
        f"/cases/{ids['case']}/consents",
        json={
            "person_id": ids["son"],
            "scope": {"agencies": ["jiritsu", party]},
            "method": "written",
            "consented_on": date.today().isoformat(),
        },
        headers=owner,
    )
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["field"] == "scope.agencies"
    assert reason in error["reason"] and party in error["reason"]
    assert await table_count(intake.dsn, "consents") == before


async def test_a_partner_that_may_hold_case_access_reads_the_case_of_its_live_referral(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    owner = auth(OWNER, "counselor")
    partner = auth(HELLOWORK, "partner")
    ids = await household_case(intake, owner)
    consent = await record_consent(intake, owner, ids["case"], ids["son"], [HELLOWORK])

    async def case_status() -> int:
        return (await intake.client.get(f"/cases/{ids['case']}", headers=partner)).status_code

    # No referral yet: like any agency without a grant, 404 (existence not revealed).
    assert await case_status() == 404
    referral_id = await _refer(settings, ids, consent, HELLOWORK)
    await eventually(case_status, lambda s: s == 200)
    case = (await intake.client.get(f"/cases/{ids['case']}", headers=partner)).json()
    assert case["access"] == {"level": "case", "basis": "consent"}
    son = await intake.client.get(f"/persons/{ids['son']}", headers=partner)
    assert son.status_code == 200
    household = await intake.client.get(f"/households/{ids['household']}", headers=partner)
    assert household.status_code == 200
    # Never the timeline, nor the sheet, nor any change: those routes are case work.
    for path in (f"/cases/{ids['case']}/records", f"/cases/{ids['case']}/sheet"):
        assert (await intake.client.get(path, headers=partner)).status_code == 403
    closed = await intake.client.post(
        f"/cases/{ids['case']}/close",
        json={"reason": "resolved", "closed_on": date.today().isoformat()},
        headers=partner,
    )
    assert closed.status_code == 403

    # The partner declines: reading ends.
    await _publish(
        settings,
        ReferralDeclined(
            referral_id=referral_id,
            case_id=uuid.UUID(ids["case"]),
            by_agency_id=HELLOWORK,
            declined_at=datetime.now(UTC),
            reason_code="no_capacity",
        ),
    )
    await eventually(case_status, lambda s: s == 404)

    rows = await _audit(intake.dsn, ids["case"], HELLOWORK)
    assert rows[0] == ("case", "denied", None)  # before the referral
    assert ("case", "allowed", "consent") in rows
    after_grant = rows[rows.index(("case", "allowed", "consent")) :]
    # The timeline, the sheet and the close refused by role, and the read after the decline.
    assert after_grant.count(("case", "denied", None)) >= 4
    assert rows[-1] == ("case", "denied", None)
    assert ("person", "allowed", "consent") in await _audit(intake.dsn, ids["son"], HELLOWORK)


async def test_a_partner_that_may_not_hold_case_access_is_403_even_with_a_referral(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    owner = auth(OWNER, "counselor")
    minsei = auth(MINSEI, "partner")
    ids = await household_case(intake, owner)
    consent = await record_consent(intake, owner, ids["case"], ids["son"], [MINSEI])
    await _refer(settings, ids, consent, MINSEI)

    async def grant_arrived() -> Any:
        conn = await asyncpg.connect(intake.dsn)
        try:
            return await conn.fetchval(
                "SELECT count(*) FROM access_grants WHERE agency_id = $1 AND case_id = $2",
                MINSEI,
                uuid.UUID(ids["case"]),
            )
        finally:
            await conn.close()

    await eventually(grant_arrived, lambda n: n == 1)  # intake knows of the referral
    response = await intake.client.get(f"/cases/{ids['case']}", headers=minsei)
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "agency"
    assert "ケース記録を閲覧できません" in response.json()["errors"][0]["reason"]
    assert (await intake.client.get(f"/persons/{ids['son']}", headers=minsei)).status_code == 403
    assert await _audit(intake.dsn, ids["case"], MINSEI) == [("case", "denied", None)]
    assert await _audit(intake.dsn, ids["son"], MINSEI) == [("person", "denied", None)]
