"""intake's documented response shapes (intake.api.schemas) match what it answers.

schemathesis checks responses against the document too, but with random ids it mostly sees
404s; this walks one real household through the API and validates every success body.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from pydantic import BaseModel

from intake.api import schemas
from kasane_dev.testing.services import RunningService
from tests.integration.intake.intake_steps import household_case

pytestmark = pytest.mark.integration


def conforms(response: httpx.Response, model: type[BaseModel]) -> None:
    assert response.is_success, response.text
    model.model_validate(response.json())


async def test_success_bodies_match_the_documented_schemas(
    intake: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    staff = auth("houkatsu-05", "counselor")
    auditor = auth("city-chiiki-fukushi", "auditor")
    ids = await household_case(intake, staff)
    client = intake.client

    record = await client.post(
        f"/cases/{ids['case']}/records",
        json={"kind": "call", "occurred_at": "2025-06-11T10:00:00+09:00", "body": "電話"},
        headers=staff,
    )
    conforms(record, schemas.RecordCreated)
    conforms(await client.get(f"/cases/{ids['case']}", headers=staff), schemas.Case)
    conforms(await client.get("/cases", headers=staff), schemas.CaseList)
    conforms(await client.get(f"/cases/{ids['case']}/records", headers=staff), schemas.Records)
    conforms(await client.get(f"/persons/{ids['son']}", headers=staff), schemas.PersonRead)
    conforms(await client.get(f"/households/{ids['household']}", headers=staff), schemas.Household)
    conforms(
        await client.post(
            "/persons/duplicates",
            json={"kana": "テスト", "birth_date": "1973-01-20"},
            headers=staff,
        ),
        schemas.Candidates,
    )
    conforms(await client.get("/queue", headers=staff), schemas.Queue)
    conforms(await client.get("/audit", headers=auditor), schemas.AuditPage)
    conforms(await client.get("/audit/verify", headers=auditor), schemas.AuditVerified)
    conforms(
        await client.get(f"/persons/{ids['son']}/access-log", headers=auditor), schemas.AccessLog
    )
    closed = await client.post(
        f"/cases/{ids['case']}/close",
        json={"closed_on": "2025-07-01", "reason": "resolved"},
        headers=staff,
    )
    conforms(closed, schemas.CaseClosed)
