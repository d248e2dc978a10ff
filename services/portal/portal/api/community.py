"""社協 地域づくり screens: the ふれあいの会 watch-visit grid and its cells (corrections keep
history), the 見守りネットワーク concern form. Forms: CSRF, Idempotency-Key, errors next to
fields, POST/redirect/GET. What a concern says is POSTed, never put in a URL."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kasane.clock import today_jst
from kasane.fiscal_year import wareki_label
from kasane.reference.programs import Program
from portal.api.deps import (
    ActivityReporter,
    CheckedForm,
    CommunityStaff,
    Refused,
    ServicesDep,
    Staff,
    typed_values,
)
from portal.api.errors import error_page
from portal.api.templating import render
from portal.domain import city as years
from portal.domain import community as rules
from portal.domain import navigation
from portal.domain.program_forms import FormErrors, service_errors, text
from portal.usecases import community as usecases

router = APIRouter(prefix="/community", include_in_schema=False)


def _not_found(request: Request) -> HTMLResponse:
    return error_page(request, "該当する月がありません", "一覧から選び直してください。", 404)


def _cell_known(district: str, month: str) -> bool:
    return (
        district in rules.district_names()
        and rules.MONTH.fullmatch(month) is not None
        and not rules.is_future(month, today_jst())
    )


@router.get("/watch-visits", response_class=HTMLResponse)
async def watch_visits(
    request: Request, staff: CommunityStaff, services: ServicesDep
) -> HTMLResponse:
    today = today_jst()
    year = years.chosen_year(request.query_params.get("fiscal_year"), today)
    rows = rules.grid(year, await usecases.cells(services, staff.token, year), today)
    context = {
        "title": "ふれあいの会 見守り訪問件数",
        "year": year,
        "year_label": wareki_label(year),
        "years": years.year_choices(today),
        "months": [(m, rules.month_label(m), f"{int(m[5:])}月") for m in rules.months_of(year)],
        "rows": rows,
        "totals": rules.month_totals(rows),
    }
    return render(request, "community/watch_visits.html", context, session=staff.session)


async def _cell_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    district: str,
    month: str,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    found = await usecases.cell(services, staff.token, district, month)
    context = {
        "title": "見守り訪問件数の入力",
        "district": district,
        "district_name": rules.district_names()[district],
        "month": month,
        "month_label": rules.month_label(month),
        "fiscal_year": int(month[:4]) if int(month[5:]) >= 4 else int(month[:4]) - 1,
        "current": found.current,
        "revisions": found.revisions,
        "values": values,
        "errors": errors,
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "community/cell.html", context, status=status, session=staff.session)


@router.get("/watch-visits/{district}/{month}", response_class=HTMLResponse)
async def cell(
    request: Request, district: str, month: str, staff: CommunityStaff, services: ServicesDep
) -> HTMLResponse:
    if not _cell_known(district, month):
        return _not_found(request)
    values = {"idempotency_key": str(uuid.uuid4())}
    return await _cell_page(request, staff, services, district, month, values, FormErrors())


@router.post("/watch-visits/{district}/{month}", response_class=HTMLResponse)
async def report_visits(
    request: Request,
    district: str,
    month: str,
    staff: CommunityStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    if not _cell_known(district, month):
        return _not_found(request)
    values = typed_values(form)
    body, errors = rules.visits_body(form)
    if body is not None:
        answer = await usecases.report_visits(
            services, staff.token, district, month, body, text(form, "idempotency_key")
        )
        if answer.ok:
            return RedirectResponse(f"/community/watch-visits/{district}/{month}?saved=1", 303)
        errors = service_errors(
            answer.body, rules.VISITS_FIELDS, "保存できませんでした。入力内容をご確認ください。"
        )
    return await _cell_page(request, staff, services, district, month, values, errors, 422)


async def _concern_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "title": "見守りネットワーク 通報の受付",
        "districts": rules.district_names(),
        "reporter_types": rules.REPORTER_TYPES,
        "urgencies": rules.URGENCIES,
        "issues": rules.issue_labels(),
        "recent": (await usecases.concerns(services, staff.token))[:20],
        "values": values,
        "checked": set(values.get("issue_codes", [])),
        "errors": errors,
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "community/concerns.html", context, status=status, session=staff.session)


def _fresh_concern() -> dict[str, Any]:
    return {"idempotency_key": str(uuid.uuid4()), "urgency": "normal"}


@router.get("/concerns", response_class=HTMLResponse)
async def concerns(request: Request, staff: CommunityStaff, services: ServicesDep) -> HTMLResponse:
    return await _concern_page(request, staff, services, _fresh_concern(), FormErrors())


@router.post("/concerns", response_class=HTMLResponse)
async def report_concern(
    request: Request, staff: CommunityStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    values: dict[str, Any] = typed_values(form)
    values["issue_codes"] = [c for c in form.getlist("issue_codes") if isinstance(c, str)]
    body, errors = rules.concern_body(form)
    if body is not None:
        answer = await usecases.report_concern(
            services, staff.token, body, text(form, "idempotency_key")
        )
        if answer.ok:
            return RedirectResponse("/community/concerns?saved=1", 303)
        refused = "受け付けできませんでした。入力内容を確認してください。"
        errors = service_errors(answer.body, rules.CONCERN_FIELDS, refused)
    return await _concern_page(request, staff, services, values, errors, 422)


async def _councils_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    year: int,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "title": "支え合い推進会議の記録",
        "year": year,
        "year_label": wareki_label(year),
        "years": years.year_choices(today_jst()),
        "districts": rules.district_names(),
        "topics": rules.COUNCIL_TOPICS,
        "listing": await usecases.councils(services, staff.token, year),
        "values": values,
        "checked": set(values.get("topic_codes", [])),
        "errors": errors,
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "community/councils.html", context, status=status, session=staff.session)


@router.get("/councils", response_class=HTMLResponse)
async def councils(request: Request, staff: CommunityStaff, services: ServicesDep) -> HTMLResponse:
    year = years.chosen_year(request.query_params.get("fiscal_year"), today_jst())
    values = {"idempotency_key": str(uuid.uuid4())}
    return await _councils_page(request, staff, services, year, values, FormErrors())


@router.post("/councils", response_class=HTMLResponse)
async def record_council(
    request: Request, staff: CommunityStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    values: dict[str, Any] = typed_values(form)
    values["topic_codes"] = [c for c in form.getlist("topic_codes") if isinstance(c, str)]
    body, errors = rules.council_body(form, today_jst())
    if body is not None:
        answer = await usecases.record_council(
            services, staff.token, body, text(form, "idempotency_key")
        )
        if answer.ok:
            held = years.current_fiscal_year(date.fromisoformat(body["held_on"]))
            return RedirectResponse(f"/community/councils?fiscal_year={held}&saved=1", 303)
        if answer.status == 409:
            errors.add("held_on", "この校区のこの日の会議はすでに記録されています")
        else:
            refused = "記録できませんでした。入力内容を確認してください。"
            errors = service_errors(answer.body, rules.COUNCIL_FIELDS, refused)
    year = years.chosen_year(request.query_params.get("fiscal_year"), today_jst())
    return await _councils_page(request, staff, services, year, values, errors, 422)


def _programs(staff: Staff) -> dict[str, Program]:
    found = rules.reported_programs(staff.principal.agency, staff.principal.roles)
    return {p.code: p for p in found}


def _program(staff: Staff, code: str) -> Program:
    """A program this user reports; another's (or an unknown code) is the screen's 403 page."""
    program = _programs(staff).get(code)
    if program is None:
        raise Refused(staff, navigation.screen("/community/activity"))
    return program


@router.get("/activity", response_class=HTMLResponse)
async def activity_programs(request: Request, staff: ActivityReporter) -> HTMLResponse:
    programs = _programs(staff)
    context = {"title": "地域づくり活動実績", "programs": list(programs.values())}
    return render(request, "community/activity_list.html", context, session=staff.session)


async def _activity_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    program: Program,
    year: int,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    today = today_jst()
    months = [m for m in rules.months_of(year) if not rules.is_future(m, today)]
    context = {
        "title": f"活動実績：{program.name_ja}",
        "program": program,
        "units": {code: program.unit_name(code) for code in program.units},
        "year": year,
        "year_label": wareki_label(year),
        "years": years.year_choices(today),
        "months": [(m, rules.month_label(m)) for m in months],
        "month_labels": {m: rules.month_label(m) for m in rules.months_of(year)},
        "districts": rules.district_names(),
        "totals": await usecases.activity(services, staff.token, program.code, year),
        "values": values,
        "errors": errors,
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "community/activity.html", context, status=status, session=staff.session)


@router.get("/activity/{program_code}", response_class=HTMLResponse)
async def activity(
    request: Request, program_code: str, staff: ActivityReporter, services: ServicesDep
) -> HTMLResponse:
    program = _program(staff, program_code)
    year = years.chosen_year(request.query_params.get("fiscal_year"), today_jst())
    values = {"idempotency_key": str(uuid.uuid4())}
    return await _activity_page(request, staff, services, program, year, values, FormErrors())


@router.post("/activity/{program_code}", response_class=HTMLResponse)
async def report_activity(
    request: Request,
    program_code: str,
    staff: ActivityReporter,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    program = _program(staff, program_code)
    values = typed_values(form)
    year = years.chosen_year(request.query_params.get("fiscal_year"), today_jst())
    body, errors = rules.activity_body(form, program, rules.months_of(year))
    if body is not None:
        answer = await usecases.report_activity(
            services, staff.token, program.code, body, text(form, "idempotency_key")
        )
        if answer.ok:
            where = f"/community/activity/{program.code}?fiscal_year={year}&saved=1"
            return RedirectResponse(where, 303)
        refused = "保存できませんでした。入力内容を確認してください。"
        errors = service_errors(answer.body, rules.ACTIVITY_FIELDS, refused)
    return await _activity_page(request, staff, services, program, year, values, errors, 422)


STALE_RESOURCE = (
    "ほかの担当者がこの資源を先に更新しました。最新の内容を表示しています。"
    "確認してから、もう一度保存してください。"
)


@router.get("/resources", response_class=HTMLResponse)
async def resources(request: Request, staff: CommunityStaff, services: ServicesDep) -> HTMLResponse:
    category = request.query_params.get("category") or None
    district = request.query_params.get("school_district_code") or None
    category = category if category in rules.RESOURCE_CATEGORIES else None
    district = district if district in rules.district_names() else None
    context = {
        "title": "社会資源の台帳",
        "items": await usecases.resources(services, staff.token, category, district),
        "categories": rules.RESOURCE_CATEGORIES,
        "districts": rules.district_names(),
        "programs": rules.resource_programs(),
        "filter": {"category": category or "", "school_district_code": district or ""},
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "community/resources.html", context, session=staff.session)


def _resource_form(
    request: Request,
    staff: Staff,
    resource_id: str | None,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
    notice: str | None = None,
) -> HTMLResponse:
    context = {
        "title": "社会資源の編集" if resource_id else "社会資源の登録",
        "resource_id": resource_id,
        "categories": rules.RESOURCE_CATEGORIES,
        "districts": rules.district_names(),
        "programs": rules.resource_programs(),
        "values": values,
        "errors": errors,
        "notice": notice,
    }
    return render(
        request, "community/resource_form.html", context, status=status, session=staff.session
    )


@router.get("/resources/new", response_class=HTMLResponse)
async def new_resource(request: Request, staff: CommunityStaff) -> HTMLResponse:
    values = {"idempotency_key": str(uuid.uuid4())}
    return _resource_form(request, staff, None, values, FormErrors())


@router.get("/resources/{resource_id}", response_class=HTMLResponse)
async def edit_resource(
    request: Request, resource_id: uuid.UUID, staff: CommunityStaff, services: ServicesDep
) -> HTMLResponse:
    found = await usecases.resource(services, staff.token, str(resource_id))
    if not found.ok:
        return error_page(request, "資源が見つかりません", "一覧から選び直してください。", 404)
    values = {**rules.resource_values(found.body), "version": str(found.body["version"])}
    return _resource_form(request, staff, str(resource_id), values, FormErrors())


@router.post("/resources/new", response_class=HTMLResponse)
async def publish_resource(
    request: Request, staff: CommunityStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    return await _save_resource(request, staff, services, form, None)


@router.post("/resources/{resource_id}", response_class=HTMLResponse)
async def revise_resource(
    request: Request,
    resource_id: uuid.UUID,
    staff: CommunityStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    return await _save_resource(request, staff, services, form, str(resource_id))


async def _save_resource(
    request: Request, staff: Staff, services: ServicesDep, form: Any, resource_id: str | None
) -> Response:
    values = typed_values(form)
    current: dict[str, Any] | None = None
    if resource_id is not None:
        found = await usecases.resource(services, staff.token, resource_id)
        if not found.ok:
            return error_page(request, "資源が見つかりません", "一覧から選び直してください。", 404)
        current = found.body
    body, errors = rules.resource_body(form, current)
    if body is None:
        return _resource_form(request, staff, resource_id, values, errors, 422)
    answer = await usecases.save_resource(
        services, staff.token, resource_id, body, text(form, "version"),
        text(form, "idempotency_key"),
    )  # fmt: skip
    if answer.ok:
        return RedirectResponse("/community/resources?saved=1", 303)
    if answer.status in (409, 412) and current is not None:
        # Shown again as stored now: the newer version and its number; nothing written.
        fresh = {**rules.resource_values(current), "version": str(current["version"])}
        return _resource_form(
            request, staff, resource_id, fresh, FormErrors(), 409, notice=STALE_RESOURCE
        )
    refused = "保存できませんでした。入力内容を確認してください。"
    errors = service_errors(answer.body, rules.RESOURCE_FIELDS, refused)
    return _resource_form(request, staff, resource_id, values, errors, 422)
