"""Bad input answers 4xx naming the field and writes nothing; targets are data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kasane_dev.testing.services import RunningService

pytestmark = pytest.mark.integration

FY = 2001


def _fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


async def test_bad_surveys_are_refused_naming_the_field(
    indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    city = auth("city-chiiki-fukushi", "city_official")

    async def post(results: list[dict[str, Any]], year: int = FY) -> Any:
        return await indicators.client.post(
            "/surveys", json={"fiscal_year": year, "results": results}, headers=city
        )

    too_many = await post([{"question_id": "mutual_support", "respondents": 10, "yes": 11}])
    assert too_many.status_code == 422 and _fields(too_many) == ["results.0.yes"]
    assert "exceeds respondents" in too_many.json()["errors"][0]["reason"]
    unknown = await post([{"question_id": "happiness", "respondents": 10, "yes": 1}])
    assert unknown.status_code == 422 and _fields(unknown) == ["results.0.question_id"]
    future = await post([{"question_id": "can_counsel", "respondents": 10, "yes": 1}], 2999)
    assert future.status_code == 422 and _fields(future) == ["fiscal_year"]
    bad_csv = await indicators.client.post(
        "/surveys",
        params={"fiscal_year": FY},
        content=b"can_counsel\nmaybe\n",
        headers={**city, "content-type": "text/csv"},
    )
    assert bad_csv.status_code == 422 and _fields(bad_csv) == ["csv.line2.can_counsel"]
    unknown_column = await indicators.client.post(
        "/surveys",
        params={"fiscal_year": FY},
        content=b"name,can_counsel\nx,1\n",
        headers={**city, "content-type": "text/csv"},
    )
    assert unknown_column.status_code == 422 and _fields(unknown_column) == ["csv.header"]
    # Nothing was written.
    stored = await indicators.client.get("/surveys", params={"fiscal_year": FY}, headers=city)
    assert stored.status_code == 200 and stored.json()["results"] == []
    # An agency cannot load survey results.
    refused = await indicators.client.post(
        "/surveys",
        json={
            "fiscal_year": FY,
            "results": [{"question_id": "can_counsel", "respondents": 1, "yes": 1}],
        },
        headers=auth("shakyo", "manager"),
    )
    assert refused.status_code == 403


async def test_fiscal_year_out_of_range_is_refused(
    indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    city = auth("city-chiiki-fukushi", "city_official")
    for path in ("/indicators", "/operations", "/indicators.csv", "/targets"):
        response = await indicators.client.get(path, params={"fiscal_year": 1999}, headers=city)
        assert response.status_code == 422, path
        assert _fields(response) == ["fiscal_year"]


async def test_targets_are_data_set_by_the_city(
    indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    city = auth("city-chiiki-fukushi", "city_official")

    async def targets(year: int) -> dict[str, Any]:
        response = await indicators.client.get(
            "/targets", params={"fiscal_year": year}, headers=city
        )
        assert response.status_code == 200
        return {t["indicator_id"]: t for t in response.json()["targets"]}

    r7 = await targets(2025)
    assert r7["watch_visits"]["target"] == 296000 and r7["survey_can_counsel"]["target"] == 29.0
    assert r7["plans_outreach"] == {
        "indicator_id": "plans_outreach",
        "target": 30,
        "target_source": "every_year",
    }
    assert (await targets(FY))["watch_visits"]["target"] is None  # never invented

    put = await indicators.client.put(
        "/targets/plans_outreach/2001", json={"target": 12}, headers=city
    )
    assert put.status_code == 200
    assert (await targets(FY))["plans_outreach"]["target"] == 12
    assert (await targets(2002))["plans_outreach"]["target"] == 30
    deleted = await indicators.client.delete("/targets/plans_outreach/2001", headers=city)
    assert deleted.status_code == 204
    assert (await targets(FY))["plans_outreach"]["target_source"] == "every_year"

    for path, body, field in (
        ("/targets/nope/2001", {"target": 1}, "indicator_id"),
        ("/targets/survey_can_counsel/2001", {"target": 120}, "target"),
        ("/targets/watch_visits/2001", {"target": 1.5}, "target"),
        ("/targets/watch_visits/2001", {"target": -1}, "target"),
        ("/targets/watch_visits/1800", {"target": 1}, "fiscal_year"),
    ):
        bad = await indicators.client.put(path, json=body, headers=city)
        assert bad.status_code == 422, (path, bad.text)
        assert _fields(bad) == [field], path
    agency = await indicators.client.put(
        "/targets/watch_visits/2001", json={"target": 1}, headers=auth("shakyo", "manager")
    )
    assert agency.status_code == 403
    assert (await targets(FY))["watch_visits"]["target"] is None
