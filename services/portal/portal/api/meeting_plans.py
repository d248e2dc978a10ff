"""多機関協働 screens beside the meetings: the year's 守秘義務の誓約 (one screen), the
escalations waiting for a plan, the plan list and the plan editor. Registered before the
meeting routes, whose ``/meetings/{meeting_id}`` would otherwise take these paths."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kasane.clock import today_jst
from kasane.fiscal_year import fiscal_year_of
from portal.api.deps import CheckedForm, MeetingsStaff, ServicesDep, Staff, typed_values
from portal.api.errors import error_page
from portal.api.meetings import LABELS
from portal.api.templating import render
from portal.domain import meeting_labels as labels
from portal.domain import meetings as rules
from portal.domain.program_forms import FormErrors, form_uuid, service_errors, text
from portal.usecases import meetings as usecases

router = APIRouter(prefix="/meetings", include_in_schema=False)

PLAN_LABELS = {**LABELS, "issues": labels.ISSUES, "statuses": labels.PLAN_STATUSES}
EDITABLE = frozenset({"draft", "returned"})


def _values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = typed_values(form)
    values["issues"] = form.getlist("issues")
    return values


async def _pledges_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    fiscal_year: int,
    form: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    answer = await usecases.pledges(services, staff.token, fiscal_year)
    found = answer.body if answer.ok and isinstance(answer.body, list) else []
    pledged = {p["agency_id"]: p["pledged_on"] for p in found}
    agencies = rules.meeting_agencies()
    context = {
        "title": "守秘義務の誓約",
        "fiscal_year": fiscal_year,
        "year_label": rules.fiscal_year_label(fiscal_year),
        "rows": [(a, name, pledged.get(a)) for a, name in agencies.items()],
        "pledged_count": sum(1 for a in agencies if a in pledged),
        "agencies": agencies,
        "form": form or {"values": {}, "errors": FormErrors()},
        "saved": request.query_params.get("saved") == "pledge",
    }
    return render(request, "meetings/pledges.html", context, status=status, session=staff.session)


@router.get("/pledges", response_class=HTMLResponse)
async def pledges(
    request: Request, staff: MeetingsStaff, services: ServicesDep, fiscal_year: int | None = None
) -> HTMLResponse:
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(today_jst())
    return await _pledges_page(request, staff, services, year)


@router.post("/pledges", response_class=HTMLResponse)
async def record_pledge(
    request: Request, staff: MeetingsStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    body, errors = rules.pledge_body(form, rules.meeting_agencies())
    if not errors:
        answer = await usecases.record_pledge(services, staff.token, body)
        if answer.ok:
            year = (
                answer.body.get("fiscal_year") if isinstance(answer.body, dict) else None
            ) or fiscal_year_of(today_jst())
            return RedirectResponse(f"/meetings/pledges?fiscal_year={year}&saved=pledge", 303)
        errors = service_errors(
            answer.body, rules.PLEDGE_FIELDS, "記録できませんでした。入力内容をご確認ください。"
        )
    shown = {"values": _values(form), "errors": errors}
    year = fiscal_year_of(today_jst())
    return await _pledges_page(request, staff, services, year, shown, status=422)


@router.get("/escalations", response_class=HTMLResponse)
async def escalations(
    request: Request, staff: MeetingsStaff, services: ServicesDep
) -> HTMLResponse:
    answer = await usecases.escalations(services, staff.token)
    rows = answer.body if answer.ok and isinstance(answer.body, list) else []
    context = {"title": "多機関協働へのつなぎ（プラン未作成）", "rows": rows, "labels": PLAN_LABELS}
    return render(request, "meetings/escalations.html", context, session=staff.session)


@router.get("/plans", response_class=HTMLResponse)
async def plan_list(request: Request, staff: MeetingsStaff, services: ServicesDep) -> HTMLResponse:
    answer = await usecases.plans(services, staff.token)
    rows = answer.body if answer.ok and isinstance(answer.body, list) else []
    context = {"title": "多機関協働プラン", "rows": rows, "labels": PLAN_LABELS}
    return render(request, "meetings/plans.html", context, session=staff.session)


def _editor(
    request: Request,
    staff: Staff,
    plan: dict[str, Any] | None,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "title": "多機関協働プラン",
        "plan": plan,
        "editable": plan is None or plan.get("status") in EDITABLE,
        "values": values,
        "errors": errors,
        "labels": PLAN_LABELS,
        "role_rows": range(rules.MAX_ROLES),
        "agencies": rules.role_agencies(),
        "saved": request.query_params.get("saved") == "plan",
    }
    return render(request, "meetings/plan.html", context, status=status, session=staff.session)


@router.get("/plans/new", response_class=HTMLResponse)
async def new_plan(request: Request, staff: MeetingsStaff, case_id: uuid.UUID) -> HTMLResponse:
    values = {"case_id": str(case_id), "idempotency_key": str(uuid.uuid4()), "issues": []}
    return _editor(request, staff, None, values, FormErrors())


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
async def plan_editor(
    request: Request, plan_id: uuid.UUID, staff: MeetingsStaff, services: ServicesDep
) -> HTMLResponse:
    answer = await usecases.plan(services, staff.token, str(plan_id))
    if not answer.ok or not isinstance(answer.body, dict):
        return error_page(request, "プランが見つかりません", "一覧から選び直してください。", 404)
    values = rules.plan_form_values(answer.body.get("content") or {})
    return _editor(request, staff, answer.body, values, FormErrors())


@router.post("/plans", response_class=HTMLResponse)
async def save_plan(
    request: Request, staff: MeetingsStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    """One form for both: with ``plan_id`` a revision, without it a new plan of ``case_id``."""
    body, errors = rules.plan_body(form)
    plan_id = form_uuid(form, "plan_id")
    case_id = form_uuid(form, "case_id")
    if plan_id is None and case_id is None:
        errors.notice = "ケースが指定されていません。つなぎの一覧から選び直してください。"
    if not errors:
        if plan_id is None:
            body["case_id"] = str(case_id)
        submit = text(form, "action") == "submit"
        answer = await usecases.save_plan(
            services,
            staff.token,
            str(plan_id) if plan_id else None,
            body,
            submit,
            text(form, "idempotency_key"),
        )
        if answer.ok and isinstance(answer.body, dict):
            return RedirectResponse(f"/meetings/plans/{answer.body['plan_id']}?saved=plan", 303)
        errors = service_errors(
            answer.body, rules.PLAN_FIELDS, "保存できませんでした。入力内容をご確認ください。"
        )
    plan = None
    if plan_id is not None:
        read = await usecases.plan(services, staff.token, str(plan_id))
        plan = read.body if read.ok and isinstance(read.body, dict) else None
    return _editor(request, staff, plan, _values(form), errors, status=422)
