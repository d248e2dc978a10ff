"""ふれあいの会 watch-visit reports: idempotent, corrections kept as history, totals."""

from __future__ import annotations

import random
from typing import Any

import pytest

from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.community.community_support import Auth, events_where

pytestmark = pytest.mark.integration

# Each test reports in its own past 年度 and 校区, so tests never share a figure.
_used: set[tuple[int, str]] = set()


def fresh_year_and_district() -> tuple[int, str]:
    while True:
        pick = (random.randint(2001, 2018), f"{random.randint(1, 46):02d}")
        if pick not in _used:
            _used.add(pick)
            return pick


@pytest.fixture
async def community(services: Any) -> RunningService:
    svc: RunningService = await services("community")
    return svc


async def test_same_figure_twice_is_one_revision_and_one_event(
    community: RunningService, auth: Auth, settings: Settings
) -> None:
    fy, district = fresh_year_and_district()
    month = f"{fy}-06"
    path = f"/watch-visits/{district}/{month}"
    shakyo = auth("shakyo", "coordinator")

    first = await community.client.put(path, json={"visits": 120}, headers=shakyo)
    assert first.status_code == 201, first.text
    again = await community.client.put(path, json={"visits": 120}, headers=shakyo)
    assert again.status_code == 200
    assert again.json()["revision"] == 1 == first.json()["revision"]

    history = await community.client.get(f"{path}/history", headers=shakyo)
    assert [r["visits"] for r in history.json()["revisions"]] == [120]

    # A correction: a new revision, the old figure kept, GET shows the new one.
    corrected = await community.client.put(
        path, json={"visits": 135}, headers=auth("shakyo", "manager")
    )
    assert corrected.status_code == 200
    assert corrected.json()["revision"] == 2
    got = await community.client.get(path, headers=auth("city-chiiki-fukushi", "city_official"))
    assert got.status_code == 200
    assert (got.json()["visits"], got.json()["revision"]) == (135, 2)
    history = await community.client.get(f"{path}/history", headers=shakyo)
    assert [(r["revision"], r["visits"]) for r in history.json()["revisions"]] == [
        (1, 120),
        (2, 135),
    ]

    def ours(e: dict[str, Any]) -> bool:
        p = e["payload"]
        return bool(
            e["event_type"] == "community.WatchVisitsReported"
            and p["school_district_code"] == district
            and p["month"] == month
        )

    found = await events_where(settings, "community", ours, 2)
    assert [(e["payload"]["revision"], e["payload"]["visits"]) for e in found] == [
        (1, 120),
        (2, 135),
    ]
    assert found[0]["payload"]["fiscal_year"] == fy
    assert found[0]["agency_id"] == "shakyo"


async def test_a_year_of_reports_with_corrections_totals_the_effective_figures(
    community: RunningService, auth: Auth
) -> None:
    fy, district = fresh_year_and_district()
    shakyo = auth("shakyo", "coordinator")
    months = [f"{fy}-{m:02d}" for m in range(4, 13)] + [f"{fy + 1}-{m:02d}" for m in (1, 2, 3)]
    for i, month in enumerate(months):
        r = await community.client.put(
            f"/watch-visits/{district}/{month}", json={"visits": 100 + i}, headers=shakyo
        )
        assert r.status_code == 201, r.text
    # Three corrections (one of them twice) and one repeat of the effective figure.
    for month, visits in ((months[0], 500), (months[5], 0), (months[0], 50), (months[11], 111)):
        r = await community.client.put(
            f"/watch-visits/{district}/{month}", json={"visits": visits}, headers=shakyo
        )
        assert r.status_code == 200, r.text
    expected = {m: 100 + i for i, m in enumerate(months)}
    expected.update({months[0]: 50, months[5]: 0, months[11]: 111})

    city = auth("city-chiiki-fukushi", "city_official")
    totals = await community.client.get(
        "/watch-visits",
        params={"fiscal_year": fy, "school_district_code": district},
        headers=city,
    )
    assert totals.status_code == 200, totals.text
    body = totals.json()
    assert body["total"] == sum(expected.values())
    assert body["by_month"] == expected
    assert body["by_school_district"] == {district: sum(expected.values())}
    # The month before the 年度 starts belongs to the previous one.
    before = await community.client.get(
        "/watch-visits",
        params={"fiscal_year": fy - 1, "school_district_code": district},
        headers=city,
    )
    assert before.json()["total"] == 0


@pytest.mark.parametrize(
    ("district", "month", "body", "field"),
    [
        ("01", "2999-01", {"visits": 3}, "month"),
        ("01", "2024-13", {"visits": 3}, "month"),
        ("01", "2024-05", {"visits": -1}, "visits"),
        ("99", "2024-05", {"visits": 3}, "school_district_code"),
        ("01", "2024-05", {"visits": 3, "note": "x"}, "note"),
    ],
)
async def test_bad_reports_are_refused_naming_the_field_and_write_nothing(
    community: RunningService, auth: Auth, district: str, month: str, body: Any, field: str
) -> None:
    shakyo = auth("shakyo", "coordinator")
    r = await community.client.put(f"/watch-visits/{district}/{month}", json=body, headers=shakyo)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert r.json()["errors"][0]["reason"]


async def test_a_month_in_the_future_is_refused_and_nothing_is_written(
    community: RunningService, auth: Auth
) -> None:
    shakyo = auth("shakyo", "coordinator")
    r = await community.client.put("/watch-visits/07/2999-12", json={"visits": 1}, headers=shakyo)
    assert r.status_code == 422
    got = await community.client.get("/watch-visits/07/2999-12", headers=shakyo)
    assert got.status_code == 422  # the month itself is refused on read too


async def test_only_shakyo_coordinators_report_and_city_reads_aggregates(
    community: RunningService, auth: Auth
) -> None:
    fy, district = fresh_year_and_district()
    path = f"/watch-visits/{district}/{fy}-09"
    for headers in (
        auth("houkatsu-01", "coordinator"),
        auth("city-chiiki-fukushi", "auditor"),
        auth("city-chiiki-fukushi", "city_official"),
    ):
        r = await community.client.put(path, json={"visits": 9}, headers=headers)
        assert r.status_code == 403, r.text
    assert (await community.client.put(path, json={"visits": 9})).status_code == 401
    # Nothing was written by the refused calls.
    shakyo = auth("shakyo", "coordinator")
    assert (await community.client.get(path, headers=shakyo)).status_code == 404
    # Another agency's staff may not read the figures; the city may.
    r = await community.client.get(
        "/watch-visits", params={"fiscal_year": fy}, headers=auth("kodomo", "counselor")
    )
    assert r.status_code == 403
    r = await community.client.get(
        "/watch-visits",
        params={"fiscal_year": fy},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert r.status_code == 200
