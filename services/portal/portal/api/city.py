"""The city's screens (地域福祉課): the indicators dashboard, its exports, the targets and
survey-results forms. Figures only: nothing here reads a person. Forms: CSRF,
Idempotency-Key, errors next to fields, POST/redirect/GET."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kasane.clock import today_jst
from kasane.fiscal_year import wareki_label
from portal.api.deps import CheckedForm, CityStaff, ServicesDep, Staff, typed_values
from portal.api.errors import error_page
from portal.api.templating import render, security_headers
from portal.domain import city as rules
from portal.domain.program_forms import FormErrors, service_errors, text
from portal.usecases import city as usecases

router = APIRouter(prefix="/city", include_in_schema=False)


def _years() -> list[int]:
    return [fy for fy, _ in rules.year_choices(today_jst())]


def _year(request: Request) -> int:
    return rules.chosen_year(request.query_params.get("fiscal_year"), today_jst())


@router.get("", response_class=HTMLResponse)
async def dashboard(request: Request, staff: CityStaff, services: ServicesDep) -> HTMLResponse:
    year = _year(request)
    found = await usecases.dashboard(services, staff.token, year)
    if found.status != 200:
        return error_page(
            request, "指標を表示できません", "指標のシステムが表示を断りました。", found.status
        )
    context = {
        "title": "目標・評価指標",
        "report": found.report,
        "year": year,
        "years": rules.year_choices(today_jst()),
        "singles": rules.single_figures(found.figures),
        "groups": rules.keyed_figures(found.figures),
        "methods": rules.PROGRESS_METHODS,
        "exports": rules.EXPORTS,
    }
    return render(request, "city/dashboard.html", context, session=staff.session)


@router.get("/exports/{name}")
async def export(request: Request, name: str, staff: CityStaff, services: ServicesDep) -> Response:
    """The service's file passed through with the user's token (the portal keeps no copy)."""
    if name not in rules.EXPORTS:
        return error_page(request, "ファイルが見つかりません", "一覧から選び直してください。", 404)
    answer = await usecases.export(services, staff.token, name, _year(request))
    if not answer.ok:
        return error_page(
            request, "ファイルを作れません", "指標のシステムが出力を断りました。", answer.status
        )
    headers = {**security_headers(request)}
    if "content-disposition" in answer.headers:
        headers["Content-Disposition"] = answer.headers["content-disposition"]
    return Response(answer.content, media_type=rules.EXPORTS[name][1], headers=headers)


async def _targets_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    year: int,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    names = await usecases.indicator_names(services, staff.token, year)
    current = await usecases.targets(services, staff.token, year)
    context = {
        "title": "目標値の設定",
        "year": year,
        "year_label": wareki_label(year),
        "years": rules.year_choices(today_jst()),
        "names": names,
        "current": current,
        "values": values,
        "errors": errors,
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "city/targets.html", context, status=status, session=staff.session)


@router.get("/targets", response_class=HTMLResponse)
async def targets_form(request: Request, staff: CityStaff, services: ServicesDep) -> HTMLResponse:
    year = _year(request)
    values = {"fiscal_year": str(year), "idempotency_key": str(uuid.uuid4())}
    return await _targets_page(request, staff, services, year, values, FormErrors())


@router.post("/targets", response_class=HTMLResponse)
async def set_target(
    request: Request, staff: CityStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    values = typed_values(form)
    year = rules.chosen_year(text(form, "fiscal_year"), today_jst())
    names = await usecases.indicator_names(services, staff.token, year)
    entry, errors = rules.target_entry(form, names, _years())
    if entry is not None:
        answer = await usecases.set_target(
            services, staff.token, entry.indicator_id, entry.fiscal_year, entry.body
        )
        if answer.ok:
            return RedirectResponse(f"/city/targets?fiscal_year={entry.fiscal_year}&saved=1", 303)
        errors = service_errors(
            answer.body, rules.TARGET_FIELDS, "設定できませんでした。入力内容をご確認ください。"
        )
    return await _targets_page(request, staff, services, year, values, errors, 422)


async def _surveys_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    year: int,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "title": "市民意識調査の結果",
        "year": year,
        "years": rules.year_choices(today_jst()),
        "questions": rules.SURVEY_QUESTIONS,
        "current": await usecases.surveys(services, staff.token, year),
        "values": values,
        "errors": errors,
        "field": rules.survey_field,
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "city/surveys.html", context, status=status, session=staff.session)


@router.get("/surveys", response_class=HTMLResponse)
async def surveys_form(request: Request, staff: CityStaff, services: ServicesDep) -> HTMLResponse:
    year = _year(request)
    values = {"fiscal_year": str(year), "idempotency_key": str(uuid.uuid4())}
    return await _surveys_page(request, staff, services, year, values, FormErrors())


@router.post("/surveys", response_class=HTMLResponse)
async def load_survey(
    request: Request, staff: CityStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    values = typed_values(form)
    year = rules.chosen_year(text(form, "fiscal_year"), today_jst())
    body, errors = rules.survey_body(form, _years())
    if body is not None:
        answer = await usecases.load_survey(
            services, staff.token, body, text(form, "idempotency_key")
        )
        if answer.ok:
            return RedirectResponse(f"/city/surveys?fiscal_year={body['fiscal_year']}&saved=1", 303)
        errors = rules.survey_errors(
            answer.body, "登録できませんでした。入力内容をご確認ください。", body
        )
    return await _surveys_page(request, staff, services, year, values, errors, 422)
