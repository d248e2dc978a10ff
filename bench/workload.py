"""What the benchmark sends: valid consultation bodies and same-sized raw payloads."""

from __future__ import annotations

import json
from typing import Any

from intake.domain.consultations import ConsultationIn, consultation_received
from kasane.events import wrap
from kasane.ids import uuid7
from kasane.reference import codes, consultation_agencies

FISCAL_YEAR = 2024  # a past fiscal year: intake rejects consultations from the future


def agency_ids() -> list[str]:
    """The 17 consultation agencies (包括 ×11, 基幹 ×4, こども, 自立)."""
    return [a.id for a in consultation_agencies()]


def consultation_body(i: int) -> dict[str, Any]:
    """The i-th valid POST /consultations body (as tests/integration/fixtures_data)."""
    age_bands, channels = codes("age_bands"), codes("channels")
    return {
        "received_at": f"{FISCAL_YEAR}-06-02T10:00:00+09:00",
        "issue_codes": ["elderly_care", "hikikomori", "8050"],
        "age_band": age_bands[i % len(age_bands)],
        "school_district_code": "01",
        "channel": channels[i % len(channels)],
    }


def event_size() -> int:
    """Bytes of one ConsultationReceived envelope as intake publishes it."""
    agency = agency_ids()[0]
    contract = consultation_received(uuid7(), agency, ConsultationIn(**consultation_body(0)))
    envelope = wrap(contract, producer="intake", municipality_code="402036", agency_id=agency)
    return len(envelope.to_bytes())


def raw_payload(seq: int, sent_ns: int, size: int) -> bytes:
    """JSON carrying its send time, padded to ``size`` bytes (like a kasane event)."""
    head = json.dumps({"seq": seq, "sent_ns": sent_ns, "pad": ""}).encode()
    pad = max(0, size - len(head))
    return json.dumps({"seq": seq, "sent_ns": sent_ns, "pad": "x" * pad}).encode()
