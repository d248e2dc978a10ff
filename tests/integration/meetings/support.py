"""Helpers for meetings' integration tests: intake/outreach/participation events in,
meetings' events out, and the common API steps."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from kasane.events import wrap
from kasane.events.envelope import Envelope, EventContract
from kasane.events.intake import ConsentRecorded, ConsentWithdrawn
from kasane.events.topics import topic_for
from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, produce, read_topic

Auth = Callable[..., dict[str, str]]

SHAKYO = ("shakyo", "coordinator")


def envelope(producer: str, contract: EventContract, agency: str = "jiritsu") -> Envelope:
    return wrap(contract, producer=producer, municipality_code="402036", agency_id=agency)


async def publish(settings: Settings, producer: str, *envelopes: Envelope) -> None:
    topic = topic_for(producer, settings.topic_namespace)
    await produce(
        settings.kafka_bootstrap,
        topic,
        [(str(e.payload.get("case_id", e.event_id)).encode(), e.to_bytes()) for e in envelopes],
    )


async def fetchval(dsn: str, sql: str, *args: Any) -> Any:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def consent(
    settings: Settings,
    meetings: RunningService,
    case_id: UUID,
    *,
    consented_on: date,
    meeting_types: tuple[str, ...] = ("multilayer_meeting",),
    agencies: tuple[str, ...] = (),
    expires_on: date | None = None,
) -> UUID:
    """intake.ConsentRecorded on the intake topic, and wait until meetings has it."""
    consent_id = uuid7()
    await publish(
        settings,
        "intake",
        envelope(
            "intake",
            ConsentRecorded(
                consent_id=consent_id,
                case_id=case_id,
                person_id=uuid7(),
                scope_agencies=list(agencies),
                scope_meeting_types=list(meeting_types),
                method="written",
                consented_on=consented_on,
                expires_on=expires_on,
            ),
        ),
    )
    await eventually(
        lambda: fetchval(
            meetings.dsn, "SELECT consented_on FROM consents WHERE consent_id = $1", consent_id
        ),
        lambda found: found is not None,
    )
    return consent_id


async def withdraw(
    settings: Settings, meetings: RunningService, consent_id: UUID, case_id: UUID, on: date
) -> None:
    await publish(
        settings,
        "intake",
        envelope(
            "intake", ConsentWithdrawn(consent_id=consent_id, case_id=case_id, withdrawn_on=on)
        ),
    )
    await eventually(
        lambda: fetchval(
            meetings.dsn, "SELECT withdrawn_on FROM consents WHERE consent_id = $1", consent_id
        ),
        lambda found: found is not None,
    )


async def ad_hoc(meetings: RunningService, auth: Auth, meeting_type: str, on: date) -> str:
    response = await meetings.client.post(
        "/meetings", json={"type": meeting_type, "date": on.isoformat()}, headers=auth(*SHAKYO)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["meeting_id"])


async def add_item(
    meetings: RunningService,
    auth: Auth,
    meeting_id: str,
    case_id: UUID | str,
    kind: str,
    agency: tuple[str, ...] = SHAKYO,
    **extra: Any,
) -> Any:
    return await meetings.client.post(
        f"/meetings/{meeting_id}/agenda",
        json={"case_id": str(case_id), "kind": kind, **extra},
        headers=auth(*agency),
    )


def plan_body(case_id: UUID | str, review_on: date, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "case_id": str(case_id),
        "household_wishes": "母の介護を続けながら、息子が少しずつ外に出られるようになりたい",
        "issues": [
            {"issue_code": "8050", "description": "80代の母と50代の息子の二人暮らし"},
            {"issue_code": "hikikomori"},
        ],
        "long_term_goal": "世帯が地域の中で安心して暮らし続ける",
        "short_term_goals": ["母の介護サービスの利用開始", "息子が居場所に月1回参加"],
        "roles": [
            {"agency_id": "houkatsu-03", "role_code": "elderly_care", "lead": True},
            {"agency_id": "aso", "role_code": "participation", "tasks": "居場所の紹介"},
        ],
        "review_on": review_on.isoformat(),
    }
    body.update(overrides)
    return body


async def meetings_events(
    settings: Settings, key: str, event_type: str | None = None
) -> list[dict[str, Any]]:
    """meetings' published envelopes with Kafka key ``key`` (a case or meeting id)."""
    records = await read_topic(
        settings.kafka_bootstrap, topic_for("meetings", settings.topic_namespace), settle_s=0.5
    )
    found = [json.loads(r.value) for r in records if r.key == key.encode()]
    return [e for e in found if event_type is None or e["event_type"] == event_type]


async def wait_events(
    settings: Settings, key: str, event_type: str, count: int = 1
) -> list[dict[str, Any]]:
    return await eventually(
        lambda: meetings_events(settings, key, event_type),
        lambda found: len(found) >= count,
    )


async def pledge(meetings: RunningService, auth: Auth, agency: str, on: date) -> None:
    """The agency's 守秘義務 pledge for the fiscal year of ``on`` (recorded by 社協); an
    earlier test may already have recorded it for that year (409), which is as good."""
    response = await meetings.client.post(
        "/pledges", json={"agency_id": agency, "pledged_on": on.isoformat()}, headers=auth(*SHAKYO)
    )
    assert response.status_code in (201, 409), response.text


async def admit(meetings: RunningService, auth: Auth, meeting_id: str, *agencies: str) -> None:
    """社協's decision that the (invited) agencies take part in the meeting."""
    response = await meetings.client.post(
        f"/meetings/{meeting_id}/admissions",
        json={"agency_ids": list(agencies)},
        headers=auth(*SHAKYO),
    )
    assert response.status_code == 200, response.text
