"""見守りネットワーク concerns in the queue; the audit log, its chain and 開示請求; the sheet;
and a sweep of every event intake published: no personal information anywhere."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from kasane.events import EventRegistry, all_contracts, wrap
from kasane.events.community import ConcernReported
from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, produce, read_topic
from tests.integration.intake.intake_steps import (
    Auth,
    consultation,
    household_case,
    person_body,
    record_consent,
)

pytestmark = pytest.mark.integration


async def _concern(settings: Settings, district: str, codes: list[str]) -> uuid.UUID:
    concern = ConcernReported(
        concern_id=uuid.uuid4(),
        school_district_code=district,
        reporter_type="business",
        urgency="urgent",
        issue_codes=codes,
        reported_on=date.today(),
    )
    envelope = wrap(concern, producer="community", municipality_code="402036", agency_id="shakyo")
    await produce(
        settings.kafka_bootstrap,
        topic_for("community", settings.topic_namespace),
        [(concern.partition_key().encode(), envelope.to_bytes())],
    )
    return concern.concern_id


async def _queue(intake: RunningService, headers: dict[str, str]) -> list[str]:
    response = await intake.client.get("/queue", params={"limit": 200}, headers=headers)
    assert response.status_code == 200
    return [item["concern_id"] for item in response.json()["items"]]


async def test_concern_becomes_a_pending_consultation_for_the_responsible_agency(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    # 校区 12 lies in 日常生活圏域 03 (sample data): an elderly concern goes to houkatsu-03.
    concern_id = str(await _concern(settings, "12", ["elderly_care", "isolation"]))
    houkatsu = auth("houkatsu-03", "counselor")
    await eventually(lambda: _queue(intake, houkatsu), lambda q: concern_id in q)
    assert concern_id not in await _queue(intake, auth("houkatsu-04", "counselor"))
    poverty = str(await _concern(settings, "12", ["poverty"]))
    await eventually(lambda: _queue(intake, auth("jiritsu", "counselor")), lambda q: poverty in q)

    taken = await intake.client.post(
        "/consultations",
        json=consultation(
            channel="watch_network",
            consulted_by="resident",
            school_district_code="12",
            concern_id=concern_id,
        ),
        headers=houkatsu,
    )
    assert taken.status_code == 201, taken.text
    assert concern_id not in await _queue(intake, houkatsu)
    again = await intake.client.post(
        "/consultations", json=consultation(concern_id=concern_id), headers=houkatsu
    )
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "concern_id"


async def test_audit_lists_verifies_and_produces_a_persons_access_history(
    intake: RunningService, auth: Auth
) -> None:
    owner = auth("houkatsu-06", "counselor")
    ids = await household_case(intake, owner)
    assert (await intake.client.get(f"/cases/{ids['case']}", headers=owner)).status_code == 200
    stranger = auth("kikan-02", "counselor")
    assert (await intake.client.get(f"/persons/{ids['son']}", headers=stranger)).status_code == 404

    auditor = auth("city-chiiki-fukushi", "auditor")
    assert (await intake.client.get("/audit", headers=owner)).status_code == 403
    listed = await intake.client.get(
        "/audit", params={"actor_agency": "houkatsu-06", "limit": 500}, headers=auditor
    )
    assert listed.status_code == 200
    assert {"create", "read"} <= {row["action"] for row in listed.json()["items"]}

    # Rows are listed at once; the sealer gives them chain positions within about a second
    # (plus the longest transaction running in its database: see access-audit.md).
    async def mine() -> list[dict[str, Any]]:
        response = await intake.client.get(
            "/audit", params={"actor_agency": "houkatsu-06", "limit": 500}, headers=auditor
        )
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    sealed = await eventually(mine, lambda items: all(row["sealed"] for row in items))
    seqs = [row["seq"] for row in sealed]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)

    async def verify() -> dict[str, Any]:
        result: dict[str, Any] = (await intake.client.get("/audit/verify", headers=auditor)).json()
        return result

    verified = await eventually(verify, lambda v: v["rows"] >= seqs[-1])
    assert verified["intact"] is True and verified["first_broken_seq"] is None

    log = (await intake.client.get(f"/persons/{ids['son']}/access-log", headers=auditor)).json()
    seen = {(row["actor_agency"], row["action"], row["outcome"]) for row in log["items"]}
    assert ("houkatsu-06", "create", "allowed") in seen  # registration
    assert ("houkatsu-06", "read", "allowed") in seen  # the case read
    assert ("kikan-02", "read", "denied") in seen  # the stranger's attempt
    assert all("name" not in row for row in log["items"])  # the log never holds the data
    # A manager of an agency that may see the person can produce it; staff ids are left out.
    managed = await intake.client.get(
        f"/persons/{ids['son']}/access-log", headers=auth("houkatsu-06", "manager")
    )
    assert managed.status_code == 200
    assert all("actor_sub" not in row for row in managed.json()["items"])
    foreign = await intake.client.get(
        f"/persons/{ids['son']}/access-log", headers=auth("kikan-02", "manager")
    )
    assert foreign.status_code == 404


async def test_intake_sheet_is_a_printable_japanese_page(
    intake: RunningService, auth: Auth
) -> None:
    owner = auth("houkatsu-08", "counselor")
    ids = await household_case(intake, owner)
    response = await intake.client.get(f"/cases/{ids['case']}/sheet", headers=owner)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "相談受付・申込票" in page and "@page { size: A4" in page
    assert "久留米 一郎" in page  # the primary person
    assert "息子が長年外出していない。" in page
    assert "高齢・介護、ひきこもり" in page  # issue codes shown by their Japanese labels
    assert page.count('class="star"') >= 5  # items reported to the city are marked ★
    # Dates in 和暦 and the 校区 by its name, as staff read a form; never ISO dates or codes.
    assert "令和7年6月10日" in page and "昭和48年1月20日" in page
    assert "<td>校区05</td>" in page
    assert "2025-06-10" not in page and "1973-01-20" not in page


async def test_no_event_intake_publishes_carries_personal_information(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    owner = auth("houkatsu-09", "counselor")
    marker = "秘密の語" + uuid.uuid4().hex[:6]  # a narrative nobody else writes
    person = person_body(
        name="個人 " + marker, address="久留米市" + marker + "町1-2-3", phone="090-1234-5678"
    )
    ids = await household_case(intake, owner)
    response = await intake.client.post("/persons", json=person, headers=owner)
    assert response.status_code == 201
    await intake.client.post(
        "/consultations",
        json=consultation(
            case_id=ids["case"],
            narrative=marker,
            outcome="to_outreach",
            between_systems={"flag": True, "reason": marker},
        ),
        headers=owner,
    )
    consent = await record_consent(intake, owner, ids["case"], ids["son"], ["shakyo"])
    await intake.client.post(
        f"/consents/{consent}/withdraw",
        json={"withdrawn_on": date.today().isoformat()},
        headers=owner,
    )
    await intake.client.post(
        f"/cases/{ids['case']}/close",
        json={"reason": "resolved", "closed_on": date.today().isoformat(), "note": marker},
        headers=owner,
    )
    registry = EventRegistry(c for group in all_contracts().values() for c in group)
    topic = topic_for("intake", settings.topic_namespace)

    async def case_events() -> list[Any]:
        records = await read_topic(settings.kafka_bootstrap, topic, settle_s=0.5)
        return [r for r in records if r.key == ids["case"].encode()]

    records = await eventually(case_events, lambda found: len(found) >= 9)
    types = {registry.parse(r.value).envelope.event_type for r in records}
    assert types == {
        f"intake.{t}"
        for t in (
            "CaseOpened",
            "ConsultationReceived",
            "CaseClassified",
            "CaseEscalated",
            "ConsentRecorded",
            "ConsentWithdrawn",
            "CaseClosed",
        )
    }
    forbidden = [
        marker,
        "久留米 一郎",
        "久留米 花子",
        "090-1234-5678",
        "0942-00-0000",
        "城南町",
        "1973-01-20",
        "1944-05-10",
        "息子が長年外出していない",
    ]
    for record in records:
        text = record.value.decode()
        assert not [value for value in forbidden if value in text], text
