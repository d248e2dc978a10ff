"""community's event handlers called directly (parsed by the registry the consumer uses, on
the real database), next to the broker path in test_community_concerns.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from community.handlers import dispatch
from kasane.events import wrap
from kasane.events.intake import ConsultationReceived
from kasane_dev.testing.services import RunningService
from tests.integration.community.community_support import Auth

pytestmark = pytest.mark.integration


@pytest.fixture
async def community(services: Any) -> RunningService:
    svc: RunningService = await services("community")
    return svc


def queued(concern_id: uuid.UUID | None, agency: str = "houkatsu-04") -> bytes:
    event = ConsultationReceived(
        consultation_id=uuid.uuid4(),
        agency_id=agency,
        received_at=datetime.now(UTC),
        channel="watch_network",
        issue_codes=["isolation"],
        age_band="70-79",
        school_district_code="04",
        is_complex=False,
        concern_id=concern_id,
    )
    return wrap(event, producer="intake", municipality_code="402036", agency_id=agency).to_bytes()


async def deliver(dsn: str, raw: bytes) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await dispatch(conn, dispatch.registry.parse(raw))
    finally:
        await conn.close()


async def grants(dsn: str, concern_id: uuid.UUID) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT agency_id FROM concern_access WHERE concern_id = $1", concern_id
        )
        return [r["agency_id"] for r in rows]
    finally:
        await conn.close()


async def test_a_queued_concern_is_granted_once_and_unknown_ones_are_ignored(
    community: RunningService, auth: Auth
) -> None:
    created = await community.client.post(
        "/concerns",
        json={
            "school_district_code": "04",
            "reporter_type": "resident",
            "noticed": "郵便受けがいっぱい",
            "location": "○○町",
        },
        headers=auth("shakyo", "coordinator"),
    )
    assert created.status_code == 201, created.text
    concern_id = uuid.UUID(created.json()["concern_id"])

    await deliver(community.dsn, queued(concern_id))
    await deliver(community.dsn, queued(concern_id))  # a redelivery grants nothing new
    assert await grants(community.dsn, concern_id) == ["houkatsu-04"]
    read = await community.client.get(
        f"/concerns/{concern_id}", headers=auth("houkatsu-04", "counselor")
    )
    assert read.status_code == 200

    unknown = uuid.uuid4()  # e.g. another municipality's concern
    await deliver(community.dsn, queued(unknown))
    await deliver(community.dsn, queued(None))  # a consultation not from a concern
    assert await grants(community.dsn, unknown) == []
