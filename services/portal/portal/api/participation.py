"""参加支援 screens (アソウ): participants with their referral, a participant's plan, matching
against resources with their free places, placements and steps. Forms: CSRF,
Idempotency-Key, errors next to the fields, PRG."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kasane.clock import today_jst
from portal.api.deps import CheckedForm, ParticipationStaff, ServicesDep, Staff, typed_values
from portal.api.errors import error_page
from portal.api.templating import render
from portal.domain import participation as rules
from portal.domain import program_labels as labels
from portal.domain.program_forms import FormErrors, service_errors, text
from portal.usecases import participation as usecases

router = APIRouter(prefix="/participation", include_in_schema=False)

LABELS = {
    "statuses": labels.PARTICIPANT_STATUSES,
    "stages": labels.PARTICIPATION_STAGES,
    "categories": labels.RESOURCE_CATEGORIES,
    "outcomes": labels.PLACEMENT_OUTCOMES,
    "proximity": labels.PROXIMITY,
}
SAVED = {
    "plan": "参加支援プランを提出しました（次の重層的支援会議で協議されます）。",
    "placement": "受け入れを開始しました。",
    "step": "段階を記録しました。",
    "placement_end": "受け入れを終了しました。",
}
FORMS = ("plan", "placement", "step", "placement_end")
Parse = Callable[[Any], tuple[dict[str, Any], FormErrors]]


def _not_found(request: Request) -> HTMLResponse:
    return error_page(request, "参加者が見つかりません", "一覧から選び直してください。", 404)


@router.get("", response_class=HTMLResponse)
async def listing(
    request: Request, staff: ParticipationStaff, services: ServicesDep
) -> HTMLResponse:
    items = await usecases.participants(services, staff.token)
    return render(
        request,
        "participation/list.html",
        {"title": "参加支援 参加者一覧", "items": items, "labels": LABELS},
        session=staff.session,
    )


async def _page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    participant_id: str,
    *,
    status: int = 200,
    forms: dict[str, Any] | None = None,
) -> HTMLResponse:
    category = request.query_params.get("category") or None
    page = await usecases.participant_page(services, staff.token, participant_id, category)
    if page.status != 200:
        return _not_found(request)
    blank = {"values": {"idempotency_key": str(uuid.uuid4())}, "errors": FormErrors()}
    context = {
        "title": "参加支援 参加者の記録",
        "page": page,
        "p": page.participant,
        "labels": LABELS,
        "district": labels.district(page.participant.get("school_district_code")),
        "resource_name": rules.resource_name,
        "category_label": rules.category_label,
        "category": category or "",
        "saved": SAVED.get(request.query_params.get("saved", "")),
        "forms": {name: (forms or {}).get(name, blank) for name in FORMS},
    }
    return render(
        request, "participation/participant.html", context, status=status, session=staff.session
    )


@router.get("/{participant_id}", response_class=HTMLResponse)
async def participant(
    request: Request, participant_id: uuid.UUID, staff: ParticipationStaff, services: ServicesDep
) -> HTMLResponse:
    return await _page(request, staff, services, str(participant_id))


async def _submit(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    form: Any,
    participant_id: uuid.UUID,
    what: str,
    parse: Parse,
    fields: dict[str, str],
    path: str | None = None,
) -> Response:
    """One form: parse, send with its Idempotency-Key, then redirect (or show the errors)."""
    pid = str(participant_id)
    values: dict[str, Any] = typed_values(form)
    values["steps"] = form.getlist("steps")
    body, errors = parse(form)
    if not errors:
        answer = await usecases.post(
            services,
            staff.token,
            path or f"/participants/{pid}/{what}s",
            body,
            text(form, "idempotency_key"),
        )
        if answer.ok:
            return RedirectResponse(f"/participation/{quote(pid)}?saved={what}", 303)
        if answer.status == 404 and what != "placement":
            return _not_found(request)
        errors = service_errors(
            answer.body, fields, "保存できませんでした。入力内容をご確認ください。"
        )
    forms = {what: {"values": values, "errors": errors}}
    return await _page(request, staff, services, pid, status=422, forms=forms)


@router.post("/{participant_id}/plans", response_class=HTMLResponse)
async def submit_plan(
    request: Request,
    participant_id: uuid.UUID,
    staff: ParticipationStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    return await _submit(
        request, staff, services, form, participant_id, "plan", rules.plan_body, rules.PLAN_FIELDS
    )


@router.post("/{participant_id}/placements", response_class=HTMLResponse)
async def start_placement(
    request: Request,
    participant_id: uuid.UUID,
    staff: ParticipationStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    return await _submit(
        request,
        staff,
        services,
        form,
        participant_id,
        "placement",
        rules.placement_body,
        rules.PLACEMENT_FIELDS,
    )


@router.post("/{participant_id}/steps", response_class=HTMLResponse)
async def record_step(
    request: Request,
    participant_id: uuid.UUID,
    staff: ParticipationStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    def parse(f: Any) -> tuple[dict[str, Any], FormErrors]:
        return rules.step_body(f, today_jst())

    return await _submit(
        request, staff, services, form, participant_id, "step", parse, rules.STEP_FIELDS
    )


@router.post("/{participant_id}/placements/{placement_id}/end", response_class=HTMLResponse)
async def end_placement(
    request: Request,
    participant_id: uuid.UUID,
    placement_id: uuid.UUID,
    staff: ParticipationStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    return await _submit(
        request,
        staff,
        services,
        form,
        participant_id,
        "placement_end",
        rules.placement_end_body,
        rules.PLACEMENT_END_FIELDS,
        path=f"/participants/{participant_id}/placements/{placement_id}/end",
    )
