"""議題に追加 (a case onto a 支援会議 or 重層的支援会議) and ケースに応じた参加者を追加.

One agenda form for everyone who works cases: 社協 (which runs the meetings) reaches it
from a meeting page or a case, any other case worker from their case page (「支援会議に
諮る」); the meetings service lets a member agency propose only once 社協 has admitted it
to that 支援会議 and its 守秘義務 pledge is recorded, and the refusal is shown as it says.
Forms: CSRF, Idempotency-Key, errors next to fields, POST/redirect/GET."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kasane.clock import today_jst
from kasane.reference.agencies import get_agency
from portal.api.deps import CaseStaff, CheckedForm, MeetingsStaff, ServicesDep, Staff, typed_values
from portal.api.errors import error_page
from portal.api.meetings import render_meeting
from portal.api.templating import render
from portal.domain import meeting_agenda as rules
from portal.domain import navigation
from portal.domain.program_forms import FormErrors, service_errors, text
from portal.usecases import meeting_agenda as usecases
from portal.usecases import meetings as meeting_usecases

router = APIRouter(prefix="/meetings", include_in_schema=False)


def _presenters(staff: Staff) -> dict[str, str] | None:
    """社協 may present for another agency; everyone else presents for their own."""
    if not navigation.runs_meetings(staff.principal):
        return None
    own = staff.principal.agency
    return {own: get_agency(own).name_ja, **rules.invitable_agencies()}


async def _form_page(
    request: Request,
    staff: Staff,
    services: ServicesDep,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    coordinator = navigation.runs_meetings(staff.principal)
    found = await usecases.choices(
        services, staff.token, today_jst(), coordinator, values.get("case_id") or None
    )
    context = {
        "title": "議題に追加（支援会議・重層的支援会議）",
        "meetings": found.meetings,
        "cases": found.cases,
        "kinds": rules.kinds_by_type(),
        "bases": rules.LEGAL_BASES,
        "presenters": _presenters(staff),
        "own_agency": staff.principal.agency,
        "coordinator": coordinator,
        "form": {"values": values, "errors": errors},
    }
    return render(
        request, "meetings/agenda_form.html", context, status=status, session=staff.session
    )


def _prefill(meeting_id: str, case_id: str) -> dict[str, str]:
    """Query parameters from a link, kept only when they are ids (never personal data)."""
    values = {"idempotency_key": str(uuid.uuid4())}
    for name, raw in (("meeting_id", meeting_id), ("case_id", case_id)):
        try:
            values[name] = str(uuid.UUID(raw))
        except ValueError:
            continue
    return values


@router.get("/agenda", response_class=HTMLResponse)
async def agenda_form(
    request: Request,
    staff: CaseStaff,
    services: ServicesDep,
    meeting_id: str = "",
    case_id: str = "",
) -> HTMLResponse:
    return await _form_page(request, staff, services, _prefill(meeting_id, case_id), FormErrors())


@router.post("/agenda", response_class=HTMLResponse)
async def add_to_agenda(
    request: Request, staff: CaseStaff, services: ServicesDep, form: CheckedForm
) -> Response:
    coordinator = navigation.runs_meetings(staff.principal)
    found = await usecases.choices(
        services, staff.token, today_jst(), coordinator, text(form, "case_id") or None
    )
    meeting_id, body, errors = rules.agenda_body(
        form, found.meetings, found.cases, _presenters(staff)
    )
    if not errors:
        answer = await usecases.add_item(
            services, staff.token, meeting_id, body, text(form, "idempotency_key")
        )
        if answer.ok and isinstance(answer.body, dict):
            if coordinator:
                item = answer.body["agenda_item_id"]
                return RedirectResponse(f"/meetings/{meeting_id}?saved=agenda#item-{item}", 303)
            return RedirectResponse(f"/cases/{body['case_id']}?done=agenda#meetings", 303)
        errors = service_errors(
            answer.body, rules.AGENDA_FIELDS, "議題に追加できませんでした。内容をご確認ください。"
        )
    return await _form_page(request, staff, services, typed_values(form), errors, status=422)


@router.post("/{meeting_id}/members", response_class=HTMLResponse)
async def add_member(
    request: Request,
    meeting_id: uuid.UUID,
    staff: MeetingsStaff,
    services: ServicesDep,
    form: CheckedForm,
) -> Response:
    """ケースに応じた参加者を追加: 社協 invites one agency for one case on this agenda."""
    mid = str(meeting_id)
    page = await meeting_usecases.meeting_page(services, staff.token, mid)
    if page.status != 200:
        return error_page(
            request, "会議が見つかりません", "会議の一覧から選び直してください。", 404
        )
    body, errors = rules.member_body(form, rules.agenda_cases(page.meeting.get("items")))
    if not errors:
        answer = await usecases.add_member(services, staff.token, mid, body)
        if answer.ok:
            return RedirectResponse(f"/meetings/{mid}?saved=member#members-title", 303)
        errors = service_errors(
            answer.body, rules.MEMBER_FIELDS, "参加者を追加できませんでした。内容をご確認ください。"
        )
    forms = {"member": {"values": typed_values(form), "errors": errors}}
    return await render_meeting(request, staff, services, mid, status=422, forms=forms)
