"""Persons, households, duplicate suggestions and linking, on the real database."""

from __future__ import annotations

import pytest

from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import table_count
from tests.integration.intake.intake_steps import (
    Auth,
    household_case,
    person_body,
    register_person,
    unique_kana,
)

pytestmark = pytest.mark.integration


async def test_register_and_read_a_person(intake: RunningService, auth: Auth) -> None:
    staff = auth("houkatsu-05", "counselor")
    body = person_body()
    person_id = await register_person(intake, staff, **body)
    response = await intake.client.get(f"/persons/{person_id}", headers=staff)
    assert response.status_code == 200
    person = response.json()
    assert {k: person[k] for k in body} == body
    assert person["registered_by_agency"] == "houkatsu-05"


async def test_duplicates_are_suggested_across_spellings_and_never_merged(
    intake: RunningService, auth: Auth
) -> None:
    owner = auth("houkatsu-02", "counselor")
    kana = unique_kana()  # katakana with a space
    first = await register_person(
        intake, owner, kana=kana, birth_date="1950-03-03", address="久留米市東町十二番地三号"
    )
    # Partly half-width katakana, no space; arabic numerals instead of 十二番地三号.
    half_width = kana.replace(" ", "").translate(str.maketrans({"テ": "ﾃ", "ス": "ｽ", "ト": "ﾄ"}))
    response = await intake.client.post(
        "/persons/duplicates",
        json={"kana": half_width, "birth_date": "1950-03-03", "address": "久留米市東町12-3"},
        headers=owner,
    )
    assert response.status_code == 200, response.text
    [top, *_] = response.json()["candidates"]
    assert top["person_id"] == first
    assert top["score"] == 1.0
    assert set(top["reasons"]) == {"kana", "birth_date", "address"}
    assert top["registered_by_agency"] == "houkatsu-02"
    assert "name" not in top  # a suggestion never discloses the record's content

    # Staff register a second record anyway and link it; both records stay.
    persons_before = await table_count(intake.dsn, "persons")
    second = await register_person(intake, owner, kana=kana, birth_date="1950-03-03")
    linked = await intake.client.post(
        f"/persons/{second}/links", json={"linked_person_id": first}, headers=owner
    )
    assert linked.status_code == 201, linked.text
    assert await table_count(intake.dsn, "persons") == persons_before + 1


async def test_duplicate_search_needs_a_key_and_kana(intake: RunningService, auth: Auth) -> None:
    staff = auth("jiritsu", "counselor")
    empty = await intake.client.post("/persons/duplicates", json={}, headers=staff)
    assert empty.status_code == 422
    response = await intake.client.post("/persons/duplicates", json={"kana": "山田"}, headers=staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kana"
    unknown = await intake.client.post(
        "/persons/duplicates", json={"name": "山田 太郎"}, headers=staff
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "name"


async def test_the_old_get_form_is_refused_and_points_to_post(
    intake: RunningService, auth: Auth
) -> None:
    owner = auth("houkatsu-02", "counselor")
    kana = unique_kana()
    await register_person(intake, owner, kana=kana)
    audit_before = await table_count(intake.dsn, "access_audit")
    response = await intake.client.get("/persons/duplicates", params={"kana": kana}, headers=owner)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    [error] = response.json()["errors"]
    assert error["field"] == "method" and "POST /persons/duplicates" in error["reason"]
    assert await table_count(intake.dsn, "access_audit") == audit_before  # nothing searched


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kana": "くるめ 太郎"}, "kana"),
        ({"birth_date": "1950-02-30"}, "birth_date"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"phone": "call me"}, "phone"),
        ({"school_district_code": "99"}, "school_district_code"),
        ({"sex": "unknown"}, "sex"),
        ({"name": ""}, "name"),
    ],
)
async def test_bad_person_is_422_and_nothing_is_written(
    change: dict[str, str], field: str, intake: RunningService, auth: Auth
) -> None:
    before = await table_count(intake.dsn, "persons")
    response = await intake.client.post(
        "/persons", json=person_body(**change), headers=auth("jiritsu", "counselor")
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await table_count(intake.dsn, "persons") == before


async def test_household_shows_its_8050_situation(intake: RunningService, auth: Auth) -> None:
    staff = auth("houkatsu-05", "counselor")
    ids = await household_case(intake, staff)
    response = await intake.client.get(f"/households/{ids['household']}", headers=staff)
    assert response.status_code == 200
    household = response.json()
    assert household["situations"] == ["8050"]
    assert [m["relationship"] for m in household["members"]] == ["self", "parent"]


async def test_household_members_must_be_visible_and_unique(
    intake: RunningService, auth: Auth
) -> None:
    staff = auth("houkatsu-07", "counselor")
    mine = await register_person(intake, staff)
    theirs = await register_person(intake, auth("kodomo", "counselor"))
    response = await intake.client.post(
        "/households",
        json={
            "members": [
                {"person_id": mine, "relationship": "self"},
                {"person_id": theirs, "relationship": "child"},
            ]
        },
        headers=staff,
    )
    assert response.status_code == 404  # kodomo's person is not visible to houkatsu-07
    assert response.json()["errors"][0]["field"] == "members.1.person_id"
    twice = await intake.client.post(
        "/households",
        json={
            "members": [
                {"person_id": mine, "relationship": "self"},
                {"person_id": mine, "relationship": "child"},
            ]
        },
        headers=staff,
    )
    assert twice.status_code == 422
