"""Request bodies and event builders shared by integration tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from kasane.events import wrap
from kasane.events.envelope import Envelope
from kasane.events.intake import ConsultationReceived
from kasane.ids import uuid7
from kasane_dev.testing.services import RunningService


def consultation_body(fiscal_year: int, **overrides: Any) -> dict[str, Any]:
    """A valid POST /consultations body received in ``fiscal_year`` (June)."""
    body = {
        "received_at": f"{fiscal_year}-06-02T10:00:00+09:00",
        "issue_codes": ["elderly_care", "hikikomori", "8050"],
        "age_band": "80-89",
        "school_district_code": "01",
        "channel": "in_person",
    }
    return {**body, **overrides}


def consultation_event(fiscal_year: int, agency: str = "jiritsu") -> Envelope:
    return wrap(
        ConsultationReceived(
            consultation_id=uuid7(),
            agency_id=agency,
            received_at=datetime.fromisoformat(f"{fiscal_year}-07-01T09:00:00+09:00"),
            channel="phone",
            issue_codes=["poverty"],
            age_band="40-49",
            school_district_code="02",
            is_complex=False,
        ),
        producer="intake",
        municipality_code="402036",
        agency_id=agency,
    )


async def counted(indicators: RunningService, headers: dict[str, str], fiscal_year: int) -> int:
    response = await indicators.client.get(
        "/indicators/consultations", params={"fiscal_year": fiscal_year}, headers=headers
    )
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


async def table_count(dsn: str, table: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await conn.close()
