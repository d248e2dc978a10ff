"""POST /surveys: 市民意識調査 results, as per-question counts (JSON) or a CSV of responses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from indicators.api import schemas as api_schemas
from indicators.api.deps import CityOfficial, FiscalYear, Now, Pool
from indicators.domain.catalog import SURVEY_QUESTIONS
from indicators.domain.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from indicators.domain.stats import percent, wilson_interval
from indicators.domain.surveys import SurveyCounts, csv_counts
from indicators.usecases import reading, surveys

router = APIRouter(prefix="/surveys", tags=["市民意識調査 surveys"])

_OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": SurveyCounts.model_json_schema()},
            "text/csv": {"schema": {"type": "string", "description": "one row per respondent"}},
        },
    }
}


def _result(question_id: str, respondents: int, yes: int) -> dict[str, Any]:
    lower, upper = wilson_interval(yes, respondents)
    return {
        "question_id": question_id,
        "question_ja": SURVEY_QUESTIONS[question_id],
        "respondents": respondents,
        "yes": yes,
        "percent": percent(yes, respondents),
        "interval_lower": lower,
        "interval_upper": upper,
    }


async def _counts(
    request: Request, fiscal_year: int | None, clock: Now
) -> tuple[int, str, dict[str, Any]]:
    raw = await request.body()
    if request.headers.get("content-type", "").split(";")[0].strip() == "text/csv":
        counts = csv_counts(raw, fiscal_year, clock.today())
        assert fiscal_year is not None  # csv_counts refuses a CSV without its year
        return fiscal_year, "csv", counts
    try:
        body = SurveyCounts.model_validate_json(raw or b"null")
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from exc
    return body.fiscal_year, "counts", body.counts()


@router.post(
    "",
    status_code=201,
    summary="市民意識調査の結果を登録",
    openapi_extra=_OPENAPI_BODY,
    response_model=None,
    responses={201: {"model": api_schemas.SurveyLoaded}},
)
async def post_survey(
    principal: CityOfficial,
    request: Request,
    pool: Pool,
    clock: Now,
    fiscal_year: Annotated[
        int | None, Query(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="CSVの年度")
    ] = None,
) -> dict[str, Any]:
    """JSON ``{"fiscal_year": 2025, "results": [{"question_id", "respondents", "yes"}]}``
    or ``text/csv`` (``?fiscal_year=2025``). The latest load per question is effective."""
    year, source, counts = await _counts(request, fiscal_year, clock)
    load_id = await surveys.load_results(pool, principal, year, source, counts)
    return {
        "load_id": str(load_id),
        "fiscal_year": year,
        "source": source,
        "results": [_result(q, n, yes) for q, (n, yes) in counts.items()],
    }


@router.get("", summary="年度の調査結果（有効なもの）")
async def get_surveys(principal: CityOfficial, pool: Pool, fiscal_year: FiscalYear) -> Any:
    found = await reading.effective_surveys(pool, fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "results": [
            {**_result(r.question_id, r.respondents, r.yes), "load_id": str(r.load_id)}
            for r in found.values()
        ],
    }
