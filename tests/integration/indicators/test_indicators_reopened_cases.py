"""ケース再開 in the figures: counted as a reopening (`cases.reopened`, by reason), never as a
new case (`cases.opened_by_agency`) nor as a new consultation (新規相談受付): a consultation
after the reopening continues the case at the same agency."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest

from kasane.events import intake
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.indicators.indicators_events import Events, at, consultation, d

pytestmark = pytest.mark.integration

FY = 2016  # no other test writes intake events in this year (community writes only its own)


async def test_a_reopened_case_is_counted_as_reopened_not_as_new(
    indicators: RunningService, settings: Settings, auth: Callable[..., dict[str, str]]
) -> None:
    city = auth("city-chiiki-fukushi", "city_official")
    ev = Events()
    case_id = uuid4()
    ev.add(
        intake.CaseOpened(case_id=case_id, lead_agency_id="jiritsu", opened_on=d(f"{FY}-05-01")),
        "jiritsu",
    )
    consultation(ev, "jiritsu", at(f"{FY}-05-01"), case_id=case_id)
    ev.add(
        intake.CaseClosed(case_id=case_id, closed_on=d(f"{FY}-07-01"), reason_code="resolved"),
        "jiritsu",
    )
    reopened = ev.add(
        intake.CaseReopened(
            case_id=case_id,
            lead_agency_id="jiritsu",
            reopened_on=d(f"{FY}-09-01"),
            reason_code="same_issue_returned",
        ),
        "jiritsu",
    )
    consultation(ev, "jiritsu", at(f"{FY}-09-01", 10), case_id=case_id)
    await ev.send(settings)

    async def figures() -> dict[tuple[str, str], int]:
        ops = await indicators.client.get("/operations", params={"fiscal_year": FY}, headers=city)
        assert ops.status_code == 200, ops.text
        return {(f["figure"], f["key"]): f["value"] for f in ops.json()["figures"]}

    got = await eventually(
        figures,
        lambda f: f.get(("consultations.total", "")) == 2 and f.get(("cases.reopened", "")) == 1,
        timeout_s=60,
    )
    assert got[("cases.reopened_by_reason", "same_issue_returned")] == 1
    assert got[("cases.opened_by_agency", "jiritsu")] == 1  # the reopening is not a new case
    assert got[("cases.closed", "")] == 1
    assert got[("consultations.new_by_agency", "jiritsu")] == 1  # nor a new consultation
    trace = await indicators.client.get(
        "/operations/trace",
        params={"fiscal_year": FY, "figure": "cases.reopened", "key": ""},
        headers=city,
    )
    assert trace.status_code == 200, trace.text
    assert trace.json()["event_ids"] == [str(reopened)]
    # The definition says so.
    rows = await indicators.client.get("/indicators", params={"fiscal_year": FY}, headers=city)
    (new,) = [r for r in rows.json()["indicators"] if r["id"] == "jiritsu_new_consultations"]
    assert new["actual"] == 1 and "再開" in new["source_ja"]
