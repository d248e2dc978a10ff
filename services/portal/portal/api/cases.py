"""ケース一覧, ケース (persons, household, timeline, consents, meetings, close, reopen) and the
printed 相談受付・申込票. Forms: CSRF, Idempotency-Key, field errors, POST/redirect/GET."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from kasane.clock import system_clock
from portal.api.deps import CaseStaff, CheckedForm, ServicesDep, Staff
from portal.api.errors import error_page
from portal.api.templating import render, security_headers
from portal.domain import cases as rules
from portal.usecases import cases
from portal.usecases.referrals import case_referrals

router = APIRouter(include_in_schema=False)

RECORD_FIELDS = ("kind", "occurred_on", "occurred_time", "body")
DONE = {
    "record": "支援経過を記録しました。",
    "consent": "本人同意を記録しました。",
    "withdraw": "本人同意の撤回を記録しました。",
    "close": "ケースを終結しました。",
    "agenda": "会議の議題に追加しました。",
    "reopen": "ケースを再開しました。",
}


def _case_id(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _not_found(request: Request) -> HTMLResponse:
    return error_page(
        request,
        "ケースが見つかりません",
        "ケースがないか、閲覧できる範囲にありません。ケース一覧から開き直してください。",
        404,
    )


def _today() -> date:
    return system_clock().today()


@router.get("/cases", response_class=HTMLResponse)
async def case_list(
    request: Request, staff: CaseStaff, services: ServicesDep, tab: str = "open", offset: str = "0"
) -> HTMLResponse:
    # A hand-edited address gets the first page, not an error.
    tab = tab if tab in rules.TABS else "open"
    start = int(offset) if offset.isdigit() else 0
    found = await cases.list_cases(services, staff.token, tab, start, rules.PAGE_SIZE)
    previous, following = rules.page_offsets(start, len(found.items), may_skip=tab == "shared")
    context = {
        "title": "ケース一覧",
        "listing": found,
        "tabs": rules.TABS,
        "previous": previous,
        "following": following,
        "rules": rules,
    }
    return render(request, "cases/list.html", context, session=staff.session)


def _fresh(name: str, **values: Any) -> rules.Form:
    return rules.Form(name, {"idempotency_key": str(uuid.uuid4()), **values})


def _forms(today: date, failed: rules.Form | None) -> dict[str, rules.Form]:
    """Every form of the page: new ones with today's date, the failed one as typed."""
    day = rules.today_wareki(today)
    forms = {
        "record": _fresh("record", kind="contact", occurred_on=day),
        "consent": _fresh("consent", consented_on=day, method="written"),
        "withdraw": _fresh("withdraw", withdrawn_on=day),
        "close": _fresh("close", closed_on=day),
        "reopen": _fresh("reopen", reopened_on=day),
    }
    if failed is not None:
        forms[failed.name] = failed
    return forms


async def _case_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    case_id: str,
    failed: rules.Form | None = None,
    done: str | None = None,
) -> HTMLResponse:
    try:
        # つなぎ: referral's own list of this case (what the user may see there), asked at
        # the same time as intake and meetings.
        page, referrals = await asyncio.gather(
            cases.case_page(services, staff.token, case_id),
            case_referrals(services, staff.token, case_id),
        )
    except cases.CaseNotFound:
        return _not_found(request)
    context = {
        "title": "ケース",
        "page": page,
        "case_referrals": referrals,
        "forms": _forms(_today(), failed),
        "failed": failed,
        "done": DONE.get(done or ""),
        "timeline": rules.timeline(page.case, page.records),
        "rules": rules,
    }
    status = 422 if failed is not None else 200
    return render(request, "cases/case.html", context, status=status, session=staff.session)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def case_view(
    request: Request, case_id: str, staff: CaseStaff, services: ServicesDep, done: str = ""
) -> HTMLResponse:
    checked = _case_id(case_id)
    if checked is None:
        return _not_found(request)
    return await _case_page(request, staff, services, checked, done=done)


def _values(form: FormData, names: tuple[str, ...], lists: tuple[str, ...] = ()) -> dict[str, Any]:
    values: dict[str, Any] = {n: str(form.get(n) or "") for n in (*names, "idempotency_key")}
    for n in lists:
        values[n] = [str(v) for v in form.getlist(n)]
    return values


def _after(case_id: str, done: str, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}?done={done}#{anchor}", status_code=303)


@router.post("/cases/{case_id}/records")
async def add_record(
    request: Request, case_id: str, staff: CaseStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    checked = _case_id(case_id)
    if checked is None:
        return _not_found(request)
    filled = rules.Form("record", _values(form, RECORD_FIELDS))
    if await cases.add_record(services, staff.token, checked, filled, _today()):
        return _after(checked, "record", "records")
    return await _case_page(request, staff, services, checked, failed=filled)


@router.post("/cases/{case_id}/consents")
async def record_consent(
    request: Request, case_id: str, staff: CaseStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    checked = _case_id(case_id)
    if checked is None:
        return _not_found(request)
    filled = rules.Form(
        "consent",
        _values(
            form,
            ("person_id", "method", "consented_on", "expires_on"),
            ("agencies", "programs", "meeting_types"),
        ),
    )
    if await cases.record_consent(services, staff.token, checked, filled):
        return _after(checked, "consent", "consents")
    return await _case_page(request, staff, services, checked, failed=filled)


@router.post("/cases/{case_id}/consents/{consent_id}/withdraw")
async def withdraw_consent(
    request: Request,
    case_id: str,
    consent_id: str,
    staff: CaseStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    checked, consent = _case_id(case_id), _case_id(consent_id)
    if checked is None or consent is None:
        return _not_found(request)
    filled = rules.Form("withdraw", {**_values(form, ("withdrawn_on",)), "consent_id": consent})
    if await cases.withdraw_consent(services, staff.token, consent, filled):
        return _after(checked, "withdraw", "consents")
    return await _case_page(request, staff, services, checked, failed=filled)


@router.post("/cases/{case_id}/close")
async def close_case(
    request: Request, case_id: str, staff: CaseStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    checked = _case_id(case_id)
    if checked is None:
        return _not_found(request)
    filled = rules.Form("close", _values(form, ("reason", "closed_on", "note")))
    if await cases.close_case(services, staff.token, checked, filled):
        return _after(checked, "close", "status")
    return await _case_page(request, staff, services, checked, failed=filled)


@router.post("/cases/{case_id}/reopen")
async def reopen_case(
    request: Request, case_id: str, staff: CaseStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    checked = _case_id(case_id)
    if checked is None:
        return _not_found(request)
    filled = rules.Form("reopen", _values(form, ("reason", "reopened_on", "note")))
    if await cases.reopen_case(services, staff.token, checked, filled):
        return _after(checked, "reopen", "status")
    return await _case_page(request, staff, services, checked, failed=filled)


@router.get("/cases/{case_id}/sheet", response_class=HTMLResponse)
async def print_sheet(
    request: Request, case_id: str, staff: CaseStaff, services: ServicesDep
) -> HTMLResponse:
    """intake's sheet as it is (one home for the form, its print audited as a print), with
    the portal's bar; the policy allows exactly the sheet's own inline style."""
    checked = _case_id(case_id)
    if checked is None:
        return _not_found(request)
    try:
        document = await cases.sheet(services, staff.token, checked)
    except cases.CaseNotFound:
        return _not_found(request)
    headers = security_headers(request)
    styles = " ".join(rules.style_hashes(document))
    headers["Content-Security-Policy"] = (
        f"default-src 'none'; style-src 'self' {styles}; img-src 'self';"
        " form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    )
    return HTMLResponse(rules.sheet_tools(document, checked), headers=headers)
