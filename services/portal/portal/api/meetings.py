"""多機関協働 screens for 社協: the year's calendar (臨時 added by a form), a meeting with
its members, pledges, agenda summaries and queued plans, decisions on items, closing the
meeting with attendance, and the 議事録 print view. Forms: CSRF, Idempotency-Key, errors
next to fields, POST/redirect/GET."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kasane.clock import today_jst
from kasane.fiscal_year import fiscal_year_of
from portal.api.deps import CheckedForm, MeetingsStaff, ServicesDep, Staff, typed_values
from portal.api.errors import error_page
from portal.api.templating import SECURITY_HEADERS, render
from portal.domain import meeting_agenda as agenda_rules
from portal.domain import meeting_labels as labels
from portal.domain import meetings as rules
from portal.domain.program_forms import FormErrors, service_errors, text
from portal.usecases import meetings as usecases

router = APIRouter(prefix="/meetings", include_in_schema=False)

LABELS = {
    "types": labels.MEETING_TYPES,
    "kinds": labels.AGENDA_KINDS,
    "roles": labels.ROLE_CODES,
    "return_reasons": labels.RETURN_REASONS,
    "end_kinds": labels.END_KINDS,
    "end_reasons": labels.END_REASONS,
    "gaps": labels.GAP_CATEGORIES,
    "outcomes": labels.OUTCOME_LABELS,
    "outcomes_by_kind": labels.OUTCOMES_BY_KIND,
    "programs": labels.PROGRAMS,
}
SAVED = {
    "adhoc": "臨時の会議を追加しました。",
    "decision": "決定を記録しました。",
    "held": "閉会し、出欠を記録しました。",
    "agenda": "議題に追加しました。",
    "member": "参加者を追加し、参加を決定しました。",
}


def _values(form: Any) -> dict[str, Any]:
    return typed_values(form)


def _not_found(request: Request) -> HTMLResponse:
    return error_page(request, "会議が見つかりません", "会議の一覧から選び直してください。", 404)


async def _calendar_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    fiscal_year: int,
    form: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    answer = await usecases.year(services, staff.token, fiscal_year)
    meetings = list(answer.body) if answer.ok and isinstance(answer.body, list) else []
    context = {
        "title": "会議の日程（重層的支援会議・支援会議）",
        "fiscal_year": fiscal_year,
        "year_label": rules.fiscal_year_label(fiscal_year),
        "months": rules.calendar(meetings),
        "labels": LABELS,
        "form": form or {"values": {"idempotency_key": str(uuid.uuid4())}, "errors": FormErrors()},
        "saved": SAVED.get(request.query_params.get("saved", "")),
    }
    return render(request, "meetings/calendar.html", context, status=status, session=staff.session)


@router.get("", response_class=HTMLResponse)
async def calendar(
    request: Request, staff: MeetingsStaff, services: ServicesDep, fiscal_year: int | None = None
) -> HTMLResponse:
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(today_jst())
    return await _calendar_page(request, staff, services, year)


@router.post("", response_class=HTMLResponse)
async def add_ad_hoc(
    request: Request, staff: MeetingsStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    body, errors = rules.ad_hoc_body(form)
    if not errors:
        answer = await usecases.add_ad_hoc(
            services, staff.token, body, text(form, "idempotency_key")
        )
        if answer.ok:
            return RedirectResponse(f"/meetings/{answer.body['meeting_id']}?saved=adhoc", 303)
        errors = service_errors(
            answer.body, rules.AD_HOC_FIELDS, "追加できませんでした。入力内容をご確認ください。"
        )
    shown = {"values": _values(form), "errors": errors}
    return await _calendar_page(
        request, staff, services, fiscal_year_of(today_jst()), shown, status=422
    )


async def render_meeting(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    meeting_id: str,
    *,
    status: int = 200,
    forms: dict[str, Any] | None = None,
) -> HTMLResponse:
    page = await usecases.meeting_page(services, staff.token, meeting_id)
    if page.status != 200:
        return _not_found(request)
    forms = forms or {}
    context = {
        "title": "会議の詳細",
        "page": page,
        "meeting": page.meeting,
        "year_label": rules.fiscal_year_label(int(page.meeting["fiscal_year"])),
        "labels": LABELS,
        "saved": SAVED.get(request.query_params.get("saved", "")),
        "forms": forms,
        "fresh_key": str(uuid.uuid4()),
        "no_errors": FormErrors(),
        "role_rows": range(rules.MAX_ROLES),
        "agencies": rules.role_agencies(),
        # ケースに応じた参加者を追加 (portal.api.meeting_agenda posts it)
        "agenda_cases": agenda_rules.agenda_cases(page.meeting.get("items")),
        "invitable": agenda_rules.invitable_agencies(),
    }
    return render(request, "meetings/meeting.html", context, status=status, session=staff.session)


@router.get("/{meeting_id}", response_class=HTMLResponse)
async def meeting(
    request: Request, meeting_id: uuid.UUID, staff: MeetingsStaff, services: ServicesDep
) -> HTMLResponse:
    return await render_meeting(request, staff, services, str(meeting_id))


@router.post("/{meeting_id}/decisions", response_class=HTMLResponse)
async def decide(
    request: Request,
    meeting_id: uuid.UUID,
    staff: MeetingsStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    mid = str(meeting_id)
    body, errors = rules.decision_body(form, text(form, "kind"))
    if not errors:
        answer = await usecases.decide(
            services, staff.token, mid, body, text(form, "idempotency_key")
        )
        if answer.ok:
            return RedirectResponse(f"/meetings/{mid}?saved=decision", 303)
        if answer.status == 404 and not isinstance(answer.body, dict):
            return _not_found(request)
        errors = service_errors(
            answer.body, rules.DECISION_FIELDS, "記録できませんでした。入力内容をご確認ください。"
        )
    item = text(form, "agenda_item_id")
    values = _values(form)
    values["gap_categories"] = form.getlist("gap_categories")
    forms = {item: {"values": values, "errors": errors}}
    return await render_meeting(request, staff, services, mid, status=422, forms=forms)


@router.post("/{meeting_id}/held", response_class=HTMLResponse)
async def close(
    request: Request,
    meeting_id: uuid.UUID,
    staff: MeetingsStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    mid = str(meeting_id)
    page = await usecases.meeting_page(services, staff.token, mid)
    if page.status != 200:
        return _not_found(request)
    members = [m["agency_id"] for m in page.meeting.get("members", [])]
    body, errors = rules.held_body(form, members)
    if not errors:
        answer = await usecases.close(services, staff.token, mid, body)
        if answer.ok:
            return RedirectResponse(f"/meetings/{mid}?saved=held", 303)
        errors = service_errors(
            answer.body, rules.HELD_FIELDS, "閉会できませんでした。内容をご確認ください。"
        )
    values = _values(form)
    values["attendee_agency_ids"] = form.getlist("attendee_agency_ids")
    forms = {"held": {"values": values, "errors": errors}}
    return await render_meeting(request, staff, services, mid, status=422, forms=forms)


@router.get("/{meeting_id}/minutes", response_class=HTMLResponse)
async def minutes(
    request: Request, meeting_id: uuid.UUID, staff: MeetingsStaff, services: ServicesDep
) -> HTMLResponse:
    """議事録 as the portal prints it (A4 print CSS), from the service's JSON."""
    answer = await usecases.minutes(services, staff.token, str(meeting_id))
    if not answer.ok or not isinstance(answer.body, dict):
        return _not_found(request)
    context = {"title": "議事録", "minutes": answer.body, "labels": LABELS}
    return render(request, "meetings/minutes.html", context, session=staff.session)


# The service's printable 会議資料 carries its own A4 stylesheet inline; it runs no script.
PACK_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


@router.get("/{meeting_id}/pack", response_class=HTMLResponse)
async def pack(
    request: Request,
    meeting_id: uuid.UUID,
    staff: MeetingsStaff,
    services: ServicesDep,
    for_agency: str | None = None,
) -> HTMLResponse:
    """The A4 会議資料 for one member (社協 prints one per member agency), as the meetings
    service renders it: only what that member may see (the service audits the read)."""
    answer = await usecases.pack(services, staff.token, str(meeting_id), for_agency)
    if answer.status == 403:
        reason = service_errors(answer.body, {}, "この機関には資料を作成できません。").notice
        return error_page(request, "資料を作成できません", reason or "", 403)
    if not answer.ok:
        return _not_found(request)
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": PACK_POLICY}
    return HTMLResponse(answer.text, headers=headers)
