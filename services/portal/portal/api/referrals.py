"""つなぎ screens: send a referral from a case, list the referrals my organisation received,
see one referral and answer it (a 連携機関's staff too: list, see, answer).

POST/redirect/GET: a sent or answered referral redirects (303) to its page; a refused one
re-renders the same form with what was typed and each reason next to its field.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal.api.deps import CaseStaff, CheckedForm, ReferralStaff, ServicesDep, Staff
from portal.api.errors import error_page
from portal.api.templating import render
from portal.domain import referrals as rules
from portal.domain.navigation import works_cases
from portal.domain.partner_case import may_open_referral_case
from portal.store.services import Answer
from portal.usecases import referrals as usecase

router = APIRouter(include_in_schema=False)
JST = ZoneInfo("Asia/Tokyo")


def _today() -> date:
    return datetime.now(JST).date()


def _refused(request: Request, answer: Answer) -> HTMLResponse:
    """A 403/404 from the service: the same page whether the record is missing or not mine."""
    if answer.status == 403:
        return error_page(request, "権限がありません", "この記録を扱う権限がありません。", 403)
    return error_page(request, "見つかりません", "この記録は存在しないか、閲覧できません。", 404)


def _form_context(
    staff: Staff, case: dict[str, Any], form: rules.ReferralForm, errors: rules.Errors
) -> dict[str, Any]:
    today = _today()
    consents = [c for c in case.get("consents", []) if rules.consent_in_force(c, today)]
    suggested = sorted(
        {code for c in case.get("consultations", []) for code in c.get("issue_codes", [])}
    )
    return {
        "title": "つなぎ（紹介）の依頼",
        "case": case,
        "form": form,
        "errors": errors,
        "agencies": rules.agency_targets(staff.principal),
        "programs": rules.program_targets(staff.principal),
        "issues": rules.issue_options(),
        "suggested": suggested,
        "consents": consents,
        "rules": rules,
    }


@router.get("/cases/{case_id}/referrals/new", response_class=HTMLResponse)
async def new_referral(
    request: Request, case_id: UUID, staff: CaseStaff, services: ServicesDep
) -> HTMLResponse:
    answer = await usecase.case_for_referral(services, staff.token, case_id)
    if not answer.ok:
        return _refused(request, answer)
    case = answer.body
    form = rules.ReferralForm(idempotency_key=str(uuid.uuid4()))
    consents = [c for c in case.get("consents", []) if rules.consent_in_force(c, _today())]
    if consents:
        form.consent_id = consents[-1]["consent_id"]  # the newest, as the service would pick
    form.reason_codes = sorted(
        {code for c in case.get("consultations", []) for code in c.get("issue_codes", [])}
    )
    context = _form_context(staff, case, form, {})
    return render(request, "referrals/new.html", context, session=staff.session)


@router.post("/cases/{case_id}/referrals", response_class=HTMLResponse)
async def send_referral(
    request: Request, case_id: UUID, staff: CaseStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    answer = await usecase.case_for_referral(services, staff.token, case_id)
    if not answer.ok:
        return _refused(request, answer)
    case = answer.body
    typed = rules.ReferralForm.from_form(form, [str(v) for v in form.getlist("reason_codes")])
    options = [*rules.agency_targets(staff.principal), *rules.program_targets(staff.principal)]
    targets = {o.value for o in options}
    body, errors = rules.check(typed, case.get("consents", []), targets, _today())
    if body is not None:
        sent = await usecase.send(services, staff.token, case_id, body, typed.idempotency_key)
        if sent.ok and isinstance(sent.body, dict):
            return RedirectResponse(f"/referrals/{sent.body['referral_id']}?done=sent", 303)
        if sent.status in (403, 404):
            return _refused(request, sent)
        errors = rules.service_errors(sent.body)
    context = _form_context(staff, case, typed, errors)
    return render(request, "referrals/new.html", context, status=422, session=staff.session)


DONE = {
    "sent": "つなぎを依頼しました。",
    "accept": "受理しました。",
    "decline": "辞退しました。",
    "complete": "結果を報告しました。",
    "revoke": "依頼を取り消しました。",
}


async def _referral_page(
    request: Request,
    staff: Staff,
    referral: dict[str, Any],
    *,
    errors: rules.Errors | None = None,
    status: int = 200,
    done: str | None = None,
) -> HTMLResponse:
    context = {
        "title": "つなぎ（紹介）",
        "referral": referral,
        "actions": rules.actions(referral, staff.principal),
        "errors": errors or {},
        "done": DONE.get(done or ""),
        "keys": {a: str(uuid.uuid4()) for a in usecase.ACTIONS},
        "rules": rules,
        # A partner works from the referral: no link to the case workers' case page; one
        # that may hold case access reads the case summary while its referral is live.
        "may_open_case": works_cases(staff.principal),
        "may_open_summary": may_open_referral_case(referral, staff.principal),
    }
    return render(request, "referrals/show.html", context, status=status, session=staff.session)


@router.get("/referrals", response_class=HTMLResponse)
async def received_referrals(
    request: Request, staff: ReferralStaff, services: ServicesDep
) -> HTMLResponse:
    """The referrals addressed to my organisation, every state (referral limits the list)."""
    answer = await usecase.received(services, staff.token)
    found = answer.body if answer.ok and isinstance(answer.body, dict) else {}
    context = {
        "title": "つなぎ（紹介）の受付",
        "items": found.get("items", []),
        "unavailable": not answer.ok,
        "rules": rules,
    }
    return render(request, "referrals/list.html", context, session=staff.session)


@router.get("/referrals/{referral_id}", response_class=HTMLResponse)
async def show_referral(
    request: Request,
    referral_id: UUID,
    staff: ReferralStaff,
    services: ServicesDep,
    done: str | None = None,
) -> HTMLResponse:
    answer = await usecase.read(services, staff.token, referral_id)
    if not answer.ok:
        return _refused(request, answer)
    return await _referral_page(request, staff, answer.body, done=done)


def _decision_body(action: str, form: CheckedForm) -> tuple[dict[str, Any] | None, rules.Errors]:
    if action == "decline":
        reason = form.get("reason_code")
        if reason not in rules.DECLINE_REASONS:
            return None, {"reason_code": "辞退の理由を選んでください。"}
        return {"reason_code": reason}, {}
    if action == "complete":
        outcome = form.get("outcome_code")
        if outcome not in rules.OUTCOMES:
            return None, {"outcome_code": "結果を選んでください。"}
        return {"outcome_code": outcome}, {}
    return None, {}


@router.post("/referrals/{referral_id}/{action}", response_class=HTMLResponse)
async def answer_referral(
    request: Request,
    referral_id: UUID,
    action: str,
    staff: ReferralStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    if action not in usecase.ACTIONS:
        return error_page(
            request, "この操作はできません", "画面のボタンから操作してください。", 404
        )
    body, errors = _decision_body(action, form)
    if not errors:
        key = str(form.get("idempotency_key") or "")
        done = await usecase.decide(services, staff.token, referral_id, action, body, key)
        if done.ok:
            return RedirectResponse(f"/referrals/{referral_id}?done={action}", 303)
        if done.status == 404:
            return _refused(request, done)
        errors = rules.service_errors(done.body)
        status = done.status
    else:
        status = 422
    current = await usecase.read(services, staff.token, referral_id)
    if not current.ok:
        return _refused(request, current)
    return await _referral_page(request, staff, current.body, errors=errors, status=status)
