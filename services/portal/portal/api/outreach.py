"""アウトリーチ screens: the work list, a target's page, the phone-sized contact form, stage
changes (If-Match) and plans. Forms: CSRF, Idempotency-Key, errors next to fields, PRG."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kasane.clock import today_jst
from portal.api.deps import CheckedForm, OutreachStaff, ServicesDep, Staff, typed_values
from portal.api.errors import error_page
from portal.api.templating import render
from portal.domain import outreach as rules
from portal.domain import program_labels as labels
from portal.domain.program_forms import FormErrors, service_errors, text
from portal.usecases import outreach as usecases

router = APIRouter(prefix="/outreach", include_in_schema=False)

LABELS = {
    "stages": labels.OUTREACH_STAGES,
    "sources": labels.OUTREACH_SOURCES,
    "methods": labels.CONTACT_METHODS,
    "results": labels.CONTACT_RESULTS,
    "end_reasons": labels.OUTREACH_END_REASONS,
    "plan_statuses": labels.OUTREACH_PLAN_STATUSES,
}
SAVED = {
    "contact": "接触の記録を保存しました。",
    "stage": "段階を変更しました。",
    "plan": "アウトリーチプランを提出しました。",
    "handoff": "引継ぎ先へつなぎ、このアウトリーチを終了しました。",
}
STALE = (
    "ほかの担当者がこの対象を先に更新しました。最新の内容を表示しています。"
    "確認してから、もう一度送信してください。"
)


def _not_found(request: Request) -> HTMLResponse:
    return error_page(request, "対象が見つかりません", "一覧から選び直してください。", 404)


def _fresh_contact() -> dict[str, str]:
    """A new contact form: its record id and idempotency key are made now, once."""
    return {
        "contact_id": str(uuid.uuid4()),
        "idempotency_key": str(uuid.uuid4()),
        "attempted_on": today_jst().isoformat(),
        "method": "visit",
    }


@router.get("", response_class=HTMLResponse)
async def work_list(request: Request, staff: OutreachStaff, services: ServicesDep) -> HTMLResponse:
    rows = await usecases.work_list(services, staff.token, staff.principal)
    return render(
        request,
        "outreach/list.html",
        {"title": "アウトリーチ 対象一覧", "rows": rows},
        session=staff.session,
    )


async def _target_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    target_id: str,
    *,
    status: int = 200,
    forms: dict[str, Any] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    page = await usecases.target_page(services, staff.token, target_id)
    if page.status != 200:
        return _not_found(request)
    saved = SAVED.get(request.query_params.get("saved", ""))
    forms = forms or {}
    context = {
        "title": "アウトリーチ 対象の記録",
        "page": page,
        "labels": LABELS,
        "district": labels.district(page.target.get("school_district_code")),
        "me": staff.principal.sub,
        "saved": saved,
        "notice": notice,
        "stage_form": forms.get("stage", {"values": {}, "errors": FormErrors()}),
        "plan_form": forms.get(
            "plan", {"values": {"idempotency_key": str(uuid.uuid4())}, "errors": FormErrors()}
        ),
        "handoff_form": forms.get(
            "handoff",
            {"values": {"idempotency_key": str(uuid.uuid4())}, "errors": FormErrors()},
        ),
        "handoff_agencies": rules.handoff_agencies(),
        "reason_labels": rules.reason_labels(),
    }
    return render(request, "outreach/target.html", context, status=status, session=staff.session)


@router.get("/targets/{target_id}", response_class=HTMLResponse)
async def target(
    request: Request, target_id: uuid.UUID, staff: OutreachStaff, services: ServicesDep
) -> HTMLResponse:
    return await _target_page(request, staff, services, str(target_id))


def _contact_page(
    request: Request,
    staff: Staff,
    target_id: str,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "outreach/contact.html",
        {
            "title": "接触の記録",
            "target_id": target_id,
            "values": values,
            "errors": errors,
            "labels": LABELS,
        },
        status=status,
        session=staff.session,
    )


@router.get("/targets/{target_id}/contact", response_class=HTMLResponse)
async def contact_form(
    request: Request, target_id: uuid.UUID, staff: OutreachStaff
) -> HTMLResponse:
    return _contact_page(request, staff, str(target_id), _fresh_contact(), FormErrors())


@router.post("/targets/{target_id}/contact", response_class=HTMLResponse)
async def record_contact(
    request: Request,
    target_id: uuid.UUID,
    staff: OutreachStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    values = typed_values(form)
    body, errors = rules.contact_body(form, today_jst())
    if errors:
        return _contact_page(request, staff, str(target_id), values, errors, 422)
    answer = await usecases.record_contact(
        services, staff.token, str(target_id), body, text(form, "idempotency_key")
    )
    if answer.status == 404:
        return _not_found(request)
    if not answer.ok:
        found = service_errors(
            answer.body, rules.CONTACT_FIELDS, "記録できませんでした。入力内容をご確認ください。"
        )
        return _contact_page(request, staff, str(target_id), values, found, answer.status)
    return RedirectResponse(f"/outreach/targets/{quote(str(target_id))}?saved=contact", 303)


@router.post("/targets/{target_id}/stage", response_class=HTMLResponse)
async def change_stage(
    request: Request,
    target_id: uuid.UUID,
    staff: OutreachStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    values = typed_values(form)
    body, errors = rules.stage_body(form)
    if not errors:
        answer = await usecases.change_stage(
            services, staff.token, str(target_id), body, text(form, "version")
        )
        if answer.ok:
            return RedirectResponse(f"/outreach/targets/{quote(str(target_id))}?saved=stage", 303)
        if answer.status == 404:
            return _not_found(request)
        if rules.stale(answer.status, answer.body):
            # Shown again with what is stored now (and its ETag); what the user typed is
            # kept in the form, to be sent again deliberately.
            forms = {"stage": {"values": values, "errors": FormErrors()}}
            return await _target_page(
                request, staff, services, str(target_id), status=409, forms=forms, notice=STALE
            )
        errors = service_errors(
            answer.body, rules.STAGE_FIELDS, "変更できませんでした。入力内容をご確認ください。"
        )
    forms = {"stage": {"values": values, "errors": errors}}
    return await _target_page(request, staff, services, str(target_id), status=422, forms=forms)


@router.post("/targets/{target_id}/plans", response_class=HTMLResponse)
async def submit_plan(
    request: Request,
    target_id: uuid.UUID,
    staff: OutreachStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    values = typed_values(form)
    body, errors = rules.plan_body(form)
    if not errors:
        answer = await usecases.submit_plan(
            services, staff.token, str(target_id), body, text(form, "idempotency_key")
        )
        if answer.ok:
            return RedirectResponse(f"/outreach/targets/{quote(str(target_id))}?saved=plan", 303)
        if answer.status == 404:
            return _not_found(request)
        errors = service_errors(
            answer.body, rules.PLAN_FIELDS, "提出できませんでした。入力内容をご確認ください。"
        )
    forms = {"plan": {"values": values, "errors": errors}}
    return await _target_page(request, staff, services, str(target_id), status=422, forms=forms)


@router.post("/targets/{target_id}/handoff", response_class=HTMLResponse)
async def hand_over(
    request: Request,
    target_id: uuid.UUID,
    staff: OutreachStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    """引継ぎ: a referral to a consultation agency, then the end (handed_over)."""
    tid = str(target_id)
    values: dict[str, Any] = typed_values(form)
    values["reason_codes"] = form.getlist("reason_codes")
    body, errors = rules.handoff_referral(form, text(form, "case_id") or None)
    notice = None
    if not errors:
        done = await usecases.hand_over(
            services, staff.token, tid, body, text(form, "idempotency_key"), text(form, "version")
        )
        if done.ended is not None and done.ended.ok:
            return RedirectResponse(f"/outreach/targets/{quote(tid)}?saved=handoff", 303)
        answer = done.ended or done.referral
        if done.ended is not None and rules.stale(answer.status, answer.body):
            notice = STALE
        else:
            errors = service_errors(
                answer.body, rules.HANDOFF_FIELDS, "引継ぎできませんでした。内容をご確認ください。"
            )
    forms = {"handoff": {"values": values, "errors": errors}}
    return await _target_page(
        request, staff, services, tid, status=409 if notice else 422, forms=forms, notice=notice
    )
