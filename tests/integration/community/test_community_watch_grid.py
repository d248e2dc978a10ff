"""GET /watch-visits/cells: the year's effective figure per 校区 and month (the grid)."""

from __future__ import annotations

from typing import Any

import pytest

from kasane_dev.testing.services import RunningService
from tests.integration.community.community_support import Auth
from tests.integration.community.test_community_watch_visits import fresh_year_and_district

pytestmark = pytest.mark.integration


@pytest.fixture
async def community(services: Any) -> RunningService:
    svc: RunningService = await services("community")
    return svc


async def test_cells_show_each_months_latest_figure_to_the_city_not_to_an_agency(
    community: RunningService, auth: Auth
) -> None:
    fy, district = fresh_year_and_district()
    shakyo = auth("shakyo", "coordinator")
    for month, visits in ((f"{fy}-06", 10), (f"{fy}-06", 12), (f"{fy + 1}-01", 7)):
        put = await community.client.put(
            f"/watch-visits/{district}/{month}", json={"visits": visits}, headers=shakyo
        )
        assert put.status_code in (200, 201), put.text

    city = auth("city-chiiki-fukushi", "city_official")
    got = await community.client.get(
        "/watch-visits/cells", params={"fiscal_year": fy}, headers=city
    )
    assert got.status_code == 200, got.text
    mine = {
        c["month"]: c["visits"]
        for c in got.json()["cells"]
        if c["school_district_code"] == district
    }
    assert mine == {f"{fy}-06": 12, f"{fy + 1}-01": 7}  # the correction, not the first figure

    refused = await community.client.get(
        "/watch-visits/cells", params={"fiscal_year": fy}, headers=auth("jiritsu", "counselor")
    )
    assert refused.status_code == 403
