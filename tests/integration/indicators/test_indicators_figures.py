"""Figures produced by events from every service match a hand-computed expectation; every
figure expands to the event ids it counts; CSV and .xlsx hold the same figures as the JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from indicators.api.export_files import HEADER_ROW, HEADERS, title
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.indicators.indicators_events import Events
from tests.integration.indicators.indicators_story import (
    EXPECTED_ACTUALS,
    build,
    expected_operations,
)

pytestmark = pytest.mark.integration

FY = 2020  # the story also writes FY2019; no other test writes either (community uses 2001–2018)


async def _json(svc: RunningService, path: str, headers: dict[str, str], **params: Any) -> Any:
    response = await svc.client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
async def loaded(
    indicators: RunningService, settings: Settings, auth: Callable[..., dict[str, str]]
) -> Any:
    city = auth("city-chiiki-fukushi", "city_official")
    ev = Events()
    story = build(ev, FY)
    await ev.send(settings)
    # Targets for a year the seed has none for; surveys as counts and as CSV.
    for indicator, value in (("watch_visits", 500), ("survey_mutual_support", 70.0)):
        put = await indicators.client.put(
            f"/targets/{indicator}/{FY}", json={"target": value}, headers=city
        )
        assert put.status_code == 200, put.text
    counts = {
        "fiscal_year": FY,
        "results": [
            {"question_id": "mutual_support", "respondents": 400, "yes": 268},
            {"question_id": "someone_to_ask", "respondents": 400, "yes": 340},
        ],
    }
    assert (await indicators.client.post("/surveys", json=counts, headers=city)).status_code == 201
    responses = "respondent,can_counsel\n" + "".join(
        f"{i},{a}\n"
        for i, a in enumerate(["1", "はい", "yes", "0", "0", "いいえ", "0", "0", "0", ""])
    )
    posted = await indicators.client.post(
        "/surveys",
        params={"fiscal_year": FY},
        content=responses.encode(),
        headers={**city, "content-type": "text/csv"},
    )
    assert posted.status_code == 201, posted.text
    assert posted.json()["results"][0]["respondents"] == 9

    async def report() -> Any:
        return await _json(indicators, "/indicators", city, fiscal_year=FY)

    def complete(body: Any) -> bool:
        rows = {r["id"]: r["actual"] for r in body["indicators"]}
        return all(rows[k] == v for k, v in EXPECTED_ACTUALS.items())

    body = await eventually(report, complete, timeout_s=60)
    # Every event of the story is in the inbox (incl. those that count for nothing).
    operations = await eventually(
        lambda: _json(indicators, "/operations", city, fiscal_year=FY),
        lambda ops: (
            {(f["figure"], f["key"]): f["value"] for f in ops["figures"]}.get(
                ("community.support_councils", "")
            )
            == 1
        ),
    )
    return story, body, operations


async def test_indicator_rows_match_the_hand_computed_figures(loaded: Any) -> None:
    _, body, _ = loaded
    assert body["fiscal_year"] == FY
    assert body["fiscal_year_label"] == "令和2年度"
    assert body["fiscal_year_western"] == "FY2020"
    rows = {r["id"]: r for r in body["indicators"]}
    assert [r["id"] for r in body["indicators"]][:3] == [
        "survey_mutual_support",
        "watch_visits",
        "jiritsu_new_consultations",
    ]
    watch = rows["watch_visits"]
    assert (watch["baseline"], watch["baseline_fiscal_year"]) == (226650, 2018)
    assert watch["baseline_fiscal_year_label"] == "平成30年度"
    assert (watch["target"], watch["actual"], watch["progress"]) == (500, 450, 90.0)
    assert watch["target_source"] == "fiscal_year"
    # No target for 生活自立支援センター this year: said so, not invented.
    jiritsu = rows["jiritsu_new_consultations"]
    assert (jiritsu["target"], jiritsu["actual"], jiritsu["progress"]) == (None, 2, None)
    assert "目標値は設定されていません" in jiritsu["note"]
    # Plan targets apply to every year.
    plans = {k: rows[f"plans_{k}"] for k in ("participation", "outreach", "multiagency")}
    assert [(p["target"], p["actual"], p["progress"]) for p in plans.values()] == [
        (24, 2, 8.3),
        (30, 1, 3.3),
        (36, 3, 8.3),
    ]
    assert all(p["target_source"] == "every_year" for p in plans.values())
    # Survey: 268 / 400 = 67.0 %, progress (67.0 − 64.1) / (70.0 − 64.1) = 49.2 %.
    mutual = rows["survey_mutual_support"]
    assert (mutual["actual"], mutual["sample_size"], mutual["progress"]) == (67.0, 400, 49.2)
    assert (mutual["interval_lower"], mutual["interval_upper"]) == (62.2, 71.4)
    ask = rows["survey_someone_to_ask"]
    assert (ask["actual"], ask["target"], ask["progress"]) == (85.0, None, None)
    counsel = rows["survey_can_counsel"]  # from the CSV: 3 yes of 9 answers
    assert (counsel["actual"], counsel["sample_size"]) == (33.3, 9)


async def test_operational_figures_match_the_hand_computed_figures(loaded: Any) -> None:
    _, _, operations = loaded
    got = {(f["figure"], f["key"]): f["value"] for f in operations["figures"]}
    expected = expected_operations(FY)
    assert {k: got.get(k) for k in expected} == expected


async def test_every_figure_expands_to_the_event_ids_it_counts(
    loaded: Any, indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    story, _, _ = loaded
    city = auth("city-chiiki-fukushi", "city_official")
    plans = await _json(indicators, "/indicators/plans_multiagency/trace", city, fiscal_year=FY)
    assert sorted(plans["event_ids"]) == sorted(str(i) for i in story.plan_ids["multiagency"])
    watch = await _json(indicators, "/indicators/watch_visits/trace", city, fiscal_year=FY)
    # Only the effective revisions; superseded and other-year reports are not counted.
    assert sorted(watch["event_ids"]) == sorted(str(i) for i in story.watch_ids)
    jiritsu = await _json(
        indicators, "/indicators/jiritsu_new_consultations/trace", city, fiscal_year=FY
    )
    assert sorted(jiritsu["event_ids"]) == sorted(str(i) for i in story.jiritsu_new_ids)
    survey = await _json(indicators, "/indicators/survey_can_counsel/trace", city, fiscal_year=FY)
    assert len(survey["survey_load_ids"]) == 1
    traced = await _json(
        indicators,
        "/operations/trace",
        city,
        fiscal_year=FY,
        figure="outreach.funnel",
        key="contacted",
    )
    assert traced["value"] == 2 and traced["event_count"] == 2
    missing = await indicators.client.get(
        "/operations/trace",
        params={"fiscal_year": FY, "figure": "nope", "key": ""},
        headers=city,
    )
    assert missing.status_code == 404


async def test_csv_and_xlsx_hold_the_same_figures_as_the_json(
    loaded: Any, indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    _, body, _ = loaded
    city = auth("city-chiiki-fukushi", "city_official")
    fields = ("id", "name_ja", "unit", "baseline", "baseline_fiscal_year_label", "target")
    numeric = ("actual", "progress", "interval_lower", "interval_upper", "sample_size")
    columns = dict(zip(HEADERS, (*fields, "target_source", *numeric, "note"), strict=True))

    def as_json(row: dict[str, Any]) -> dict[str, Any]:
        return {k: row[k] for k in (*fields, *numeric)}

    expected = [as_json(r) for r in body["indicators"]]

    got_csv = await indicators.client.get(
        "/indicators.csv", params={"fiscal_year": FY}, headers=city
    )
    assert got_csv.status_code == 200
    assert got_csv.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert "attachment" in got_csv.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(got_csv.content.decode("utf-8-sig"))))
    assert lines[0] == [title(FY)] and "令和2年度" in lines[0][0]
    assert lines[HEADER_ROW - 1] == list(HEADERS)

    def parse(value: str) -> Any:
        if value == "":
            return None
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value

    csv_rows = [
        {columns[h]: parse(v) for h, v in zip(HEADERS, line, strict=True)}
        for line in lines[HEADER_ROW:]
    ]
    assert [{k: r[k] for k in expected[0]} for r in csv_rows] == expected

    got_xlsx = await indicators.client.get(
        "/indicators.xlsx", params={"fiscal_year": FY}, headers=city
    )
    assert got_xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(got_xlsx.content)).active
    assert sheet is not None
    assert sheet["A1"].value == title(FY)
    assert [c.value for c in sheet[HEADER_ROW]] == list(HEADERS)
    xlsx_rows = [
        {columns[h]: v for h, v in zip(HEADERS, values, strict=True)}
        for values in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    ]
    assert [{k: r[k] for k in expected[0]} for r in xlsx_rows] == expected


async def test_reports_are_for_city_roles_only(
    indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    for path in (
        "/indicators",
        "/operations",
        "/indicators.csv",
        "/indicators.xlsx",
        "/targets",
        "/surveys",
    ):
        for agency, role in (
            ("jiritsu", "counselor"),
            ("shakyo", "manager"),
            ("city-chiiki-fukushi", "auditor"),
        ):
            response = await indicators.client.get(
                path, params={"fiscal_year": FY}, headers=auth(agency, role)
            )
            assert response.status_code == 403, (path, role, response.text)
        anonymous = await indicators.client.get(path, params={"fiscal_year": FY})
        assert anonymous.status_code == 401, path
    # Agency staff keep reading consultation counts, as before.
    counts = await indicators.client.get(
        "/indicators/consultations",
        params={"fiscal_year": FY},
        headers=auth("jiritsu", "counselor"),
    )
    assert counts.status_code == 200
