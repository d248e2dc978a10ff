"""世帯概要 across intake and meetings, both in-process on real Kafka/PostgreSQL: a
consultation on a registered 8050 household publishes the household's flags and size band
(never who lives there), and a 支援会議 agenda item shows them with Japanese labels."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest

from kasane.events.topics import topic_for
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, read_topic
from tests.integration.intake.intake_steps import household_case
from tests.integration.meetings.support import Auth, ad_hoc, add_item, fetchval

pytestmark = pytest.mark.integration

Day = Callable[..., date]


async def test_household_flags_travel_from_intake_to_the_agenda(
    intake: RunningService, meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    case = await household_case(intake, auth("houkatsu-03", "counselor"))
    case_id = case["case"]

    records = await read_topic(
        settings.kafka_bootstrap, topic_for("intake", settings.topic_namespace), settle_s=0.5
    )
    [received] = [
        json.loads(r.value)
        for r in records
        if r.key == case_id.encode()
        and json.loads(r.value)["event_type"] == "intake.ConsultationReceived"
    ]
    payload = received["payload"]
    assert payload["household_situations"] == ["8050"]
    assert payload["household_size_band"] == "2"
    for personal in ("name", "kana", "birth_date", "address", "phone", "members", "narrative"):
        assert personal not in payload
    assert "久留米" not in json.dumps(payload, ensure_ascii=False)

    await eventually(
        lambda: fetchval(
            meetings.dsn,
            "SELECT household_size_band FROM case_profiles WHERE case_id = $1",
            UUID(case_id),
        ),
        lambda found: found == "2",
    )
    meeting = await ad_hoc(meetings, auth, "support_meeting", today)
    added = await add_item(meetings, auth, meeting, case_id, "information_sharing")
    assert added.status_code == 201, added.text
    detail = await meetings.client.get(
        f"/meetings/{meeting}", headers=auth("shakyo", "coordinator")
    )
    [item] = detail.json()["items"]
    profile = item["profile"]
    assert profile["age_band_label"] == "80代"
    assert profile["school_district_name"] == "校区05"
    assert profile["household"]["situations"] == [{"code": "8050", "label": "8050"}]
    assert [i["label"] for i in profile["issues"]] == ["高齢・介護", "ひきこもり"]
