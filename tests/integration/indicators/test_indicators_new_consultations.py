"""生活自立支援センターの新規相談受付件数 counts a case's first consultation at the centre:
opened there, or referred in and taken up there; a continuing consultation (later the same
year, or of a case the centre already saw in an earlier year) does not count."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.indicators.indicators_events import Events, at, case_opened, consultation

pytestmark = pytest.mark.integration

FY = 2022  # and 2021 (the earlier year): no other test counts consultations in either
# (community draws 2001–2018 at random; meetings writes only a 2022 calendar)


async def test_jiritsu_new_consultations_count_referred_in_cases_once(
    indicators: RunningService, settings: Settings, auth: Callable[..., dict[str, str]]
) -> None:
    city = auth("city-chiiki-fukushi", "city_official")
    ev = Events()
    # Case A: first consulted at 地域包括, referred to jiritsu and taken up there (new at
    # jiritsu), then consulted again at jiritsu (continuing: not new).
    referred = uuid4()
    consultation(ev, "houkatsu-03", at(f"{FY}-05-01"), case_id=referred)
    taken_up = consultation(ev, "jiritsu", at(f"{FY}-05-10"), case_id=referred)
    consultation(ev, "jiritsu", at(f"{FY}-06-01"), case_id=referred)
    # Case B: the centre's case since the year before: continuing, not new this year.
    known = uuid4()
    consultation(ev, "jiritsu", at(f"{FY - 1}-10-01"), case_id=known)
    consultation(ev, "jiritsu", at(f"{FY}-07-01"), case_id=known)
    # Case C: opened at the centre with its first consultation (new).
    opened = uuid4()
    case_opened(ev, "jiritsu", f"{FY}-08-01")
    opened_here = consultation(ev, "jiritsu", at(f"{FY}-08-01"), case_id=opened)
    await ev.send(settings)

    async def year(fy: int) -> dict[str, object]:
        # The figures first: the predicate waits on them, and the facts only grow, so the
        # indicator row read after them sees at least the same events (the other order
        # could pair a row from 4 events with figures from 5).
        ops = await indicators.client.get("/operations", params={"fiscal_year": fy}, headers=city)
        figures = {(f["figure"], f["key"]): f["value"] for f in ops.json()["figures"]}
        response = await indicators.client.get(
            "/indicators", params={"fiscal_year": fy}, headers=city
        )
        assert response.status_code == 200, response.text
        rows = {r["id"]: r for r in response.json()["indicators"]}
        return {"row": rows["jiritsu_new_consultations"], "figures": figures}

    def received(n: int) -> Callable[[dict[str, object]], bool]:
        return lambda g: g["figures"].get(("consultations.total", "")) == n  # type: ignore[attr-defined]

    earlier = await eventually(lambda: year(FY - 1), received(1), timeout_s=60)
    got = await eventually(lambda: year(FY), received(5), timeout_s=60)
    # Cases opened at jiritsu (the old count) would say 1; consultations received there 4.
    assert got["row"]["actual"] == 2  # type: ignore[index]
    figures = got["figures"]
    assert figures[("consultations.by_agency", "jiritsu")] == 4  # type: ignore[index]
    assert figures[("consultations.new_by_agency", "jiritsu")] == 2  # type: ignore[index]
    assert figures[("consultations.new_by_agency", "houkatsu-03")] == 1  # type: ignore[index]
    assert figures[("cases.opened_by_agency", "jiritsu")] == 1  # type: ignore[index]
    trace = await indicators.client.get(
        "/indicators/jiritsu_new_consultations/trace", params={"fiscal_year": FY}, headers=city
    )
    assert sorted(trace.json()["event_ids"]) == sorted(str(i) for i in (taken_up, opened_here))
    # The earlier year counts case B's first consultation there.
    assert earlier["row"]["actual"] == 1  # type: ignore[index]
    # The definition says what is counted.
    assert "初回" in got["row"]["source_ja"]  # type: ignore[index]
