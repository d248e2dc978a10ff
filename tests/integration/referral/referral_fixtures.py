"""Simulated intake events and small probes for referral's integration tests."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from kasane.clock import today_jst
from kasane.events import topic_for, wrap
from kasane.events.envelope import EventContract
from kasane.events.intake import (
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ConsentRecorded,
    ConsentWithdrawn,
)
from kasane.events.meetings import CaseDiscussed
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, produce, read_topic


async def publish(settings: Settings, producer: str, contract: EventContract, agency: str) -> None:
    envelope = wrap(contract, producer=producer, municipality_code="402036", agency_id=agency)
    await produce(
        settings.kafka_bootstrap,
        topic_for(producer, settings.topic_namespace),
        [(contract.partition_key().encode(), envelope.to_bytes())],
    )


async def fetchval(dsn: str, sql: str, *args: Any) -> Any:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def open_case(
    settings: Settings, referral: RunningService, lead: str, *, district: str = "03"
) -> UUID:
    case_id = uuid4()
    await publish(
        settings,
        "intake",
        CaseOpened(
            case_id=case_id,
            lead_agency_id=lead,
            opened_on=date(2025, 6, 2),
            school_district_code=district,
        ),
        lead,
    )
    await eventually(
        lambda: fetchval(referral.dsn, "SELECT count(*) FROM cases WHERE case_id = $1", case_id),
        lambda n: n == 1,
    )
    return case_id


async def record_consent(
    settings: Settings,
    referral: RunningService,
    case_id: UUID,
    lead: str,
    *,
    agencies: list[str] | None = None,
    programs: list[str] | None = None,
    expires_on: date | None = None,
) -> UUID:
    consent_id = uuid4()
    await publish(
        settings,
        "intake",
        ConsentRecorded(
            consent_id=consent_id,
            case_id=case_id,
            person_id=uuid4(),
            scope_agencies=agencies or [],
            scope_programs=programs or [],
            method="written",
            consented_on=date(2025, 6, 2),
            expires_on=expires_on,
        ),
        lead,
    )
    await eventually(
        lambda: fetchval(
            referral.dsn, "SELECT count(*) FROM consents WHERE consent_id = $1", consent_id
        ),
        lambda n: n == 1,
    )
    return consent_id


async def withdraw_consent(settings: Settings, case_id: UUID, consent_id: UUID, lead: str) -> None:
    await publish(
        settings,
        "intake",
        ConsentWithdrawn(consent_id=consent_id, case_id=case_id, withdrawn_on=date(2025, 7, 1)),
        lead,
    )


async def close_case(
    settings: Settings, referral: RunningService, case_id: UUID, lead: str
) -> None:
    await publish(
        settings,
        "intake",
        CaseClosed(case_id=case_id, closed_on=date(2025, 7, 1), reason_code="resolved"),
        lead,
    )
    await eventually(
        lambda: fetchval(
            referral.dsn, "SELECT closed_on IS NOT NULL FROM cases WHERE case_id = $1", case_id
        ),
        lambda closed: closed is True,
    )


async def reopen_case(
    settings: Settings, referral: RunningService, case_id: UUID, lead: str
) -> None:
    """intake.CaseReopened after :func:`close_case`, seen by referral's read model."""
    reopened_on = date(2025, 8, 1)
    await publish(
        settings,
        "intake",
        CaseReopened(
            case_id=case_id,
            lead_agency_id=lead,
            reopened_on=reopened_on,
            reason_code="same_issue_returned",
        ),
        lead,
    )
    await eventually(
        lambda: fetchval(referral.dsn, "SELECT reopened_on FROM cases WHERE case_id = $1", case_id),
        lambda seen: seen == reopened_on,
    )


async def events_of(settings: Settings, service: str, key: UUID) -> list[dict[str, Any]]:
    """Envelopes on ``service``'s topic keyed by ``key`` (a case id), in topic order."""
    records = await read_topic(
        settings.kafka_bootstrap, topic_for(service, settings.topic_namespace), settle_s=0.5
    )
    return [json.loads(r.value) for r in records if r.key == str(key).encode()]


def types_of(envelopes: list[dict[str, Any]]) -> list[str]:
    return [e["event_type"].split(".", 1)[1] for e in envelopes]


async def meeting_decision(
    settings: Settings,
    referral: RunningService,
    case_id: UUID,
    *,
    members: list[str],
    outcome: str = "share",
    meeting_type: str = "support_meeting",
    on: date | None = None,
) -> UUID:
    """A decision of meetings (as meetings publishes it), seen by referral's read model;
    held today (JST) unless ``on`` is given, so its sharing period is running."""
    on = on or today_jst()
    decision_id = uuid4()
    await publish(
        settings,
        "meetings",
        CaseDiscussed(
            meeting_id=uuid4(),
            agenda_item_id=uuid4(),
            case_id=case_id,
            meeting_type=meeting_type,
            kind="information_sharing",
            legal_basis="support_meeting" if meeting_type == "support_meeting" else "consent",
            discussed_on=on,
            decision_id=decision_id,
            outcome=outcome,
            member_agency_ids=members,
            access_until=on + timedelta(days=90),
        ),
        "shakyo",
    )
    await eventually(
        lambda: fetchval(
            referral.dsn,
            "SELECT count(*) FROM meeting_decisions WHERE decision_id = $1",
            decision_id,
        ),
        lambda n: n == 1,
    )
    return decision_id
