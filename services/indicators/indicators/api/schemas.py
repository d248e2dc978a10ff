"""Response shapes of the indicators JSON API, for the OpenAPI document (documentation only).

The routes build their JSON from the year's report; these models describe it so clients (and
the schemathesis contract test, which checks every response against the document) know what
comes back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel


def ok(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model}}


class IndicatorRow(BaseModel):
    id: str
    name_ja: str
    unit: str
    kind: str
    fiscal_year: int
    baseline: float | None
    target: float | None
    actual: float | None


class IndicatorReport(BaseModel):
    fiscal_year: int
    as_of: date
    indicators: list[IndicatorRow]


class IndicatorTrace(BaseModel):
    indicator_id: str
    fiscal_year: int
    event_ids: list[str]


class Figure(BaseModel):
    figure: str
    key: str
    value: float | None
    event_count: int


class OperationsReport(BaseModel):
    fiscal_year: int
    as_of: date
    figures: list[Figure]


class FigureTrace(Figure):
    fiscal_year: int
    event_ids: list[str]


class SurveyResult(BaseModel):
    question_id: str
    respondents: int
    yes: int


class SurveyLoaded(BaseModel):
    load_id: str
    fiscal_year: int
    source: str
    results: list[SurveyResult]


class AgencyMonthlyRow(BaseModel):
    measure: str
    figure: str
    values: list[int]
    total: int


class AgencyMonthly(BaseModel):
    fiscal_year: int
    fiscal_year_label: str
    as_of: date
    agency_id: str
    agency_name_ja: str
    months: list[str]
    month_labels: list[str]
    rows: list[AgencyMonthlyRow]
