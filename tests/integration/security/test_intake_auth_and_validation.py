"""No token or a foreign signature -> 401; a bad body -> 422 naming the field, no write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from kasane.auth.keys import generate_pem_pair
from kasane.auth.tokens import mint
from kasane_dev.testing.services import RunningService
from tests.integration.fixtures_data import consultation_body, table_count

pytestmark = pytest.mark.integration

BODY = consultation_body(2015)


async def _writes(intake: RunningService) -> tuple[int, int, int]:
    return (
        await table_count(intake.dsn, "consultations"),
        await table_count(intake.dsn, "outbox"),
        await table_count(intake.dsn, "access_audit"),
    )


async def test_missing_token_is_401(intake: RunningService) -> None:
    response = await intake.client.post("/consultations", json=BODY)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_token_signed_by_another_key_is_401(intake: RunningService) -> None:
    foreign_private, _ = generate_pem_pair()
    forged = mint(foreign_private, sub="mallory", agency="jiritsu", roles=["counselor"])
    response = await intake.client.post(
        "/consultations", json=BODY, headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401


async def test_expired_token_is_401(intake: RunningService, settings: Any) -> None:
    private = (settings.keys_dir / "dev-signing-key.pem").read_bytes()
    expired = mint(
        private, sub="s", agency="jiritsu", roles=["counselor"], ttl=timedelta(seconds=-60)
    )
    response = await intake.client.post(
        "/consultations", json=BODY, headers={"Authorization": f"Bearer {expired}"}
    )
    assert response.status_code == 401


async def test_role_without_case_work_is_403(
    intake: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    response = await intake.client.post(
        "/consultations", json=BODY, headers=auth("city-chiiki-fukushi", "auditor")
    )
    assert response.status_code == 403


async def test_non_consultation_agency_is_403(
    intake: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    response = await intake.client.post(
        "/consultations", json=BODY, headers=auth("aso", "coordinator")
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"issue_codes": ["elderly_care", "no_such_code"]}, "issue_codes"),
        ({"issue_codes": []}, "issue_codes"),
        ({"age_band": "85"}, "age_band"),
        ({"school_district_code": "999"}, "school_district_code"),
        ({"channel": "fax"}, "channel"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"name": "久留米 太郎"}, "name"),  # unknown fields are refused, not dropped
    ],
)
async def test_bad_body_is_422_naming_the_field_and_nothing_is_written(
    change: dict[str, Any],
    field: str,
    intake: RunningService,
    auth: Callable[..., dict[str, str]],
) -> None:
    before = await _writes(intake)
    response = await intake.client.post(
        "/consultations", json={**BODY, **change}, headers=auth("jiritsu", "counselor")
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["errors"][0]["reason"]
    assert await _writes(intake) == before


async def test_missing_field_is_422(
    intake: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    body = {k: v for k, v in BODY.items() if k != "channel"}
    response = await intake.client.post(
        "/consultations", json=body, headers=auth("jiritsu", "counselor")
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "channel", "reason": "必須項目です / Field required"}
    ]


async def test_indicators_reject_out_of_range_fiscal_year(
    indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    response = await indicators.client.get(
        "/indicators/consultations",
        params={"fiscal_year": 1800},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "fiscal_year"


async def test_auditor_cannot_read_indicators(
    indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    response = await indicators.client.get(
        "/indicators/consultations",
        params={"fiscal_year": 2025},
        headers=auth("city-chiiki-fukushi", "auditor"),
    )
    assert response.status_code == 403
