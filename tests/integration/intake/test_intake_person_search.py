"""Person search and the named case list the staff portal needs (issue 16, intake part).

POST /persons/search finds persons across ひらがな/カタカナ/半角ｶﾅ/spaces, by 和暦 or 西暦
birth date, only among the persons the caller may see, each with the duplicate rule's
score and the open cases the caller may see; ONE audit row per search, without the
criteria. GET /cases?names=true lists names only for cases the caller may see, one audit
row per page.
"""

from __future__ import annotations

import logging
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
from tests.integration.intake.intake_steps import Auth, household_case

pytestmark = pytest.mark.integration

OWNER = "houkatsu-07"
_FULL = "アイウエオカキクケコサシスセソタテスト"
_HALF = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾃｽﾄ"


def _hiragana(katakana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in katakana)


def _half_width(katakana: str) -> str:
    return katakana.translate(str.maketrans(_FULL, _HALF))


async def _search(intake: RunningService, headers: dict[str, str], **body: Any) -> Any:
    response = await intake.client.post("/persons/search", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _last_id(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT coalesce(max(id), 0) FROM access_audit"))
    finally:
        await conn.close()


async def _rows_since(dsn: str, after: int) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT * FROM access_audit WHERE id > $1 ORDER BY id", after)
        return [dict(r) for r in rows]
    finally:
        await conn.close()


async def _kana_of(intake: RunningService, headers: dict[str, str], person_id: str) -> str:
    response = await intake.client.get(f"/persons/{person_id}", headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["kana"])


async def test_search_finds_a_person_across_kana_forms_and_wareki_birth_dates(
    intake: RunningService, auth: Auth
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    kana = await _kana_of(intake, owner, ids["mother"])  # e.g. 「テスト アイウエオカキク」
    spellings = [kana, _hiragana(kana), _half_width(kana), kana.replace(" ", "　"), kana[4:]]
    for spelling in spellings:
        found = await _search(intake, owner, kana=spelling)
        assert [p["person_id"] for p in found["items"]] == [ids["mother"]], spelling
    # A name typed in kana finds the ふりがな too; a kanji name matches partially.
    by_name = await _search(intake, owner, name=_hiragana(kana[4:]))
    assert [p["person_id"] for p in by_name["items"]] == [ids["mother"]]
    # 和暦 and 西暦 birth dates, narrowed by the ふりがな (AND).
    for birth in ("昭和19年5月10日", "S19.5.10", "s19/5/10", "1944-05-10", "１９４４／５／１０"):
        found = await _search(intake, owner, kana=kana[4:], birth_date=birth)
        assert [p["person_id"] for p in found["items"]] == [ids["mother"]], birth
    assert (await _search(intake, owner, kana=kana[4:], birth_date="S19.5.11"))["items"] == []
    # Partial name and address, then the full result shape.
    found = await _search(
        intake, owner, name="留米 花", kana=kana, birth_date="1944-05-10", address="城南町3丁目"
    )
    (hit,) = found["items"]
    assert found["count"] == 1
    assert hit["name"] == "久留米 花子" and hit["kana"] == kana
    assert hit["birth_date"] == "1944-05-10"
    assert hit["registered_by_agency"] == OWNER
    # The duplicate rule: same ふりがな and birth date is a probable same person.
    assert hit["duplicate"] == {"candidate": True, "score": 0.8, "reasons": ["kana", "birth_date"]}
    assert [c["case_id"] for c in hit["open_cases"]] == [ids["case"]]
    assert hit["open_cases"][0]["lead_agency_id"] == OWNER
    # A partial ふりがな is a hit, not a probable duplicate.
    partial = (await _search(intake, owner, kana=kana[4:]))["items"][0]
    assert partial["duplicate"]["candidate"] is False


async def test_search_is_one_audit_row_without_the_criteria(
    intake: RunningService, auth: Auth, caplog: pytest.LogCaptureFixture
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    kana = await _kana_of(intake, owner, ids["son"])
    before = await _last_id(intake.dsn)
    criteria = {
        "name": "久留米 一郎",
        "kana": kana,
        "birth_date": "昭和48年1月20日",
        "address": "城南町三丁目",
    }
    with caplog.at_level(logging.DEBUG):
        found = await _search(intake, owner, **criteria)
    assert [p["person_id"] for p in found["items"]] == [ids["son"]]
    (row,) = await _rows_since(intake.dsn, before)
    assert row["action"] == "search" and row["record_type"] == "person_search"
    assert row["outcome"] == "allowed" and row["actor_agency"] == OWNER
    assert row["record_id"] == f"1:{ids['son']}"  # the count and the ids shown
    assert row["subject_id"] is None
    audit_text = " ".join(str(v) for v in row.values())
    logs = caplog.text
    for value in (*criteria.values(), "1973-01-20", kana.replace(" ", "")):
        assert value not in audit_text, value
        assert value not in logs, value


async def test_search_only_shows_persons_the_caller_may_see(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    owner = auth(OWNER, "counselor")
    ids = await household_case(intake, owner)
    kana = await _kana_of(intake, owner, ids["son"])
    stranger = auth("kodomo", "counselor")
    before = await _last_id(intake.dsn)
    assert (await _search(intake, stranger, kana=kana))["items"] == []
    (row,) = await _rows_since(intake.dsn, before)
    assert (row["action"], row["record_id"], row["outcome"]) == ("search", "0:", "allowed")
    # A grant on the case (a plan role) lets the partner find the person, with the case.
    partner = auth("kikan-01", "counselor")
    await _assign_plan_role(settings, ids["case"], "kikan-01")

    async def hits() -> list[Any]:
        items: list[Any] = (await _search(intake, partner, kana=kana))["items"]
        return items

    items = await eventually(hits, lambda found: len(found) == 1)
    assert items[0]["person_id"] == ids["son"]
    assert [c["case_id"] for c in items[0]["open_cases"]] == [ids["case"]]


@pytest.mark.parametrize(
    ("agency", "role"),
    [("city-chiiki-fukushi", "auditor"), ("city-chiiki-fukushi", "city_official")],
)
async def test_a_refused_search_is_audited(
    intake: RunningService, auth: Auth, agency: str, role: str
) -> None:
    before = await _last_id(intake.dsn)
    response = await intake.client.post(
        "/persons/search", json={"kana": "くるめ"}, headers=auth(agency, role)
    )
    assert response.status_code == 403
    (row,) = await _rows_since(intake.dsn, before)
    assert (row["record_type"], row["action"], row["outcome"]) == (
        "person_search",
        "search",
        "denied",
    )
    assert "くるめ" not in str(row.values())


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({}, "body", "いずれか"),
        ({"limit": 10}, "body", "いずれか"),
        ({"name": "　"}, "body", "いずれか"),
        ({"birth_date": "平成31年5月1日"}, "birth_date", "平成の期間外"),
        ({"birth_date": "R8.2.30"}, "birth_date", "存在しない日付"),
        ({"kana": "久留米"}, "kana", "ひらがな・カタカナ"),
        ({"kana": "くるめ", "limit": 51}, "limit", ""),
        ({"kana": "くるめ", "q": "x"}, "q", ""),
    ],
)
async def test_bad_criteria_are_422_naming_the_field(
    intake: RunningService, auth: Auth, body: dict[str, Any], field: str, reason: str
) -> None:
    response = await intake.client.post(
        "/persons/search", json=body, headers=auth(OWNER, "counselor")
    )
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(e["field"].endswith(field) and reason in e["reason"] for e in errors), errors


async def _assign_plan_role(settings: Settings, case_id: str, agency: str) -> None:
    roles = RolesAssigned(
        plan_id=uuid.uuid4(),
        case_id=uuid.UUID(case_id),
        meeting_id=uuid.uuid4(),
        assigned_on=date.today(),
        roles=[
            RoleAssignment(agency_id=OWNER, role_code="lead", lead=True),
            RoleAssignment(agency_id=agency, role_code="disability"),
        ],
    )
    envelope = wrap(roles, producer="meetings", municipality_code="402036", agency_id=None)
    await produce(
        settings.kafka_bootstrap,
        topic_for("meetings", settings.topic_namespace),
        [(roles.partition_key().encode(), envelope.to_bytes())],
    )


async def _cases(intake: RunningService, headers: dict[str, str], **params: Any) -> Any:
    response = await intake.client.get("/cases", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_case_list_with_names_for_the_agencies_that_may_see_them(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    owner_agency = "houkatsu-08"
    owner = auth(owner_agency, "counselor")
    ids = await household_case(intake, owner)
    # Without names: ids and codes, as before, and no audit row.
    before = await _last_id(intake.dsn)
    plain = await _cases(intake, owner, limit=200)
    mine = next(c for c in plain["items"] if c["case_id"] == ids["case"])
    assert "persons" not in mine and "久留米" not in str(plain)
    assert await _rows_since(intake.dsn, before) == []
    # With names: the household's persons, and one audit row listing them.
    named = await _cases(intake, owner, names="true", status="open", agency="mine", limit=200)
    case = next(c for c in named["items"] if c["case_id"] == ids["case"])
    assert case["lead_agency_id"] == owner_agency and case["status"] == "open"
    assert {(p["person_id"], p["name"], p["relationship"]) for p in case["persons"]} == {
        (ids["son"], "久留米 一郎", "self"),
        (ids["mother"], "久留米 花子", "parent"),
    }
    (row,) = await _rows_since(intake.dsn, before)
    assert (row["record_type"], row["action"], row["actor_agency"]) == (
        "case_list",
        "list",
        owner_agency,
    )
    listed = row["record_id"].split(":", 1)[1].split(",")
    assert {ids["son"], ids["mother"]} <= set(listed)
    assert int(row["record_id"].split(":")[0]) == len(listed)
    # Closed filter: the open case is not in it; paging: offset moves on.
    closed = await _cases(intake, owner, names="true", status="closed", limit=200)
    assert ids["case"] not in str(closed)
    # Another agency: neither the case nor any name, in either scope.
    stranger = auth("kodomo", "counselor")
    for scope in ("mine", "shared"):
        theirs = await _cases(intake, stranger, names="true", agency=scope, limit=200)
        assert ids["case"] not in str(theirs) and ids["son"] not in str(theirs)
    # A partner given a plan role sees the case (and names) under agency=shared.
    await _assign_plan_role(settings, ids["case"], "kikan-02")
    partner = auth("kikan-02", "coordinator")

    async def shared() -> list[Any]:
        items: list[Any] = (await _cases(intake, partner, names="true", agency="shared"))["items"]
        return [c for c in items if c["case_id"] == ids["case"]]

    (seen,) = await eventually(shared, lambda found: len(found) == 1)
    assert seen["lead_agency_id"] == owner_agency
    assert seen["access"] == {"level": "work", "basis": "plan"}
    assert ids["son"] in {p["person_id"] for p in seen["persons"]}


async def test_case_list_pages(intake: RunningService, auth: Auth) -> None:
    headers = auth("houkatsu-09", "counselor")
    cases = [await household_case(intake, headers) for _ in range(3)]
    first = await _cases(intake, headers, names="true", limit=2, offset=0)
    second = await _cases(intake, headers, names="true", limit=2, offset=2)
    listed = [c["case_id"] for c in first["items"] + second["items"]]
    assert len(first["items"]) == 2 and len(set(listed)) == len(listed)
    assert {c["case"] for c in cases} <= set(listed)


async def test_a_search_by_url_is_405_and_searches_nothing(
    intake: RunningService, auth: Auth
) -> None:
    before = await _last_id(intake.dsn)
    response = await intake.client.get(
        "/persons/search", params={"kana": "くるめ"}, headers=auth(OWNER, "counselor")
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    [error] = response.json()["errors"]
    assert error["field"] == "method" and "POST /persons/search" in error["reason"]
    assert await _rows_since(intake.dsn, before) == []
