"""The duplicate search tells nobody who is a client elsewhere (issue 12 item 3).

A match the caller may not see is not reported at all — no id, no agency, no "a match
exists elsewhere" — and the withheld match is audited as a denied ``duplicate_check`` on
that person. An agency that may see the person (its owner, or a grant on one of its cases)
gets the candidate as before. Linking needs the caller to see both records.
"""

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
from tests.integration.intake.intake_steps import Auth, household_case, register_person

pytestmark = pytest.mark.integration

OWNER = "houkatsu-06"


async def _kana_of(intake: RunningService, headers: dict[str, str], person_id: str) -> str:
    response = await intake.client.get(f"/persons/{person_id}", headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["kana"])


async def _search(intake: RunningService, headers: dict[str, str], **keys: Any) -> Any:
    response = await intake.client.post("/persons/duplicates", json=keys, headers=headers)
    assert response.status_code == 200, response.text
    return response


async def _audit(dsn: str, person_id: str, agency: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT action, outcome FROM access_audit"
            " WHERE record_id = $1 AND actor_agency = $2 ORDER BY seq NULLS LAST, xid, id",
            person_id,
            agency,
        )
        return [(r["action"], r["outcome"]) for r in rows]
    finally:
        await conn.close()


async def test_a_stranger_learns_nothing_and_the_search_is_audited(
    intake: RunningService, auth: Auth
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    kana = await _kana_of(intake, owner, ids["son"])
    for stranger in ("kodomo", "jiritsu"):
        response = await _search(intake, auth(stranger, "counselor"), kana=kana)
        assert response.json() == {"candidates": []}
        assert ids["son"] not in response.text and OWNER not in response.text
        assert await _audit(intake.dsn, ids["son"], stranger) == [("duplicate_check", "denied")]
    # With every key, still nothing of the owner's (other tests' persons share the birth
    # date and address, and kodomo may see some of them: those may be suggested).
    full = await _search(
        intake,
        auth("kodomo", "coordinator"),
        kana=kana,
        birth_date="1973-01-20",
        address="久留米市城南町三丁目五番地二号",
    )
    assert ids["son"] not in full.text and ids["mother"] not in full.text
    assert OWNER not in full.text
    # The owner's own search finds it.
    mine = await _search(intake, owner, kana=kana)
    assert [c["person_id"] for c in mine.json()["candidates"]] == [ids["son"]]


async def test_linking_to_a_record_the_caller_may_not_see_is_404_and_audited(
    intake: RunningService, auth: Auth
) -> None:
    owner = auth(OWNER, "counselor")
    theirs = await register_person(intake, owner)
    stranger = auth("kikan-02", "counselor")
    mine = await register_person(intake, stranger)
    linked = await intake.client.post(
        f"/persons/{mine}/links", json={"linked_person_id": theirs}, headers=stranger
    )
    assert linked.status_code == 404
    assert linked.json()["errors"][0]["field"] == "linked_person_id"
    assert await _audit(intake.dsn, theirs, "kikan-02") == [("link", "denied")]
    # The same answer as for an id that does not exist.
    ghost = await intake.client.post(
        f"/persons/{mine}/links", json={"linked_person_id": str(uuid.uuid4())}, headers=stranger
    )
    assert ghost.status_code == 404


async def test_an_agency_with_a_grant_on_the_case_gets_the_candidate(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    kana = await _kana_of(intake, owner, ids["son"])
    partner = auth("kikan-01", "counselor")
    assert (await _search(intake, partner, kana=kana)).json() == {"candidates": []}
    roles = RolesAssigned(
        plan_id=uuid.uuid4(),
        case_id=uuid.UUID(ids["case"]),
        meeting_id=uuid.uuid4(),
        assigned_on=date.today(),
        roles=[
            RoleAssignment(agency_id=OWNER, role_code="lead", lead=True),
            RoleAssignment(agency_id="kikan-01", role_code="disability"),
        ],
    )
    envelope = wrap(roles, producer="meetings", municipality_code="402036", agency_id=None)
    await produce(
        settings.kafka_bootstrap,
        topic_for("meetings", settings.topic_namespace),
        [(roles.partition_key().encode(), envelope.to_bytes())],
    )

    async def found() -> list[Any]:
        candidates: list[Any] = (await _search(intake, partner, kana=kana)).json()["candidates"]
        return candidates

    candidates = await eventually(found, lambda c: len(c) == 1)
    assert candidates[0]["person_id"] == ids["son"]
    assert candidates[0]["registered_by_agency"] == OWNER
    assert (await _audit(intake.dsn, ids["son"], "kikan-01"))[-1] == (
        "duplicate_check",
        "allowed",
    )
