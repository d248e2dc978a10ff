"""本人検索 (/persons/search) and 相談受付 (/consultations/new).

Search criteria are POSTed (never in a URL); the consultation form is one POST that
registers the new persons, the household, the consultation and the consent at intake.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from kasane.clock import JST
from kasane.wareki import format_date
from portal.api.deps import CheckedForm, Searcher, ServicesDep, Staff, Window
from portal.api.templating import render
from portal.domain import consult_labels as labels
from portal.domain import consultation as rules
from portal.usecases import consultation as usecase

router = APIRouter(include_in_schema=False)


@router.get("/persons/search", response_class=HTMLResponse)
async def search_form(request: Request, staff: Searcher) -> HTMLResponse:
    return _search_page(request, staff, usecase.Search({}))


@router.post("/persons/search", response_class=HTMLResponse)
async def search(
    request: Request, staff: Searcher, services: ServicesDep, form: CheckedForm
) -> HTMLResponse:
    criteria = {k: str(form.get(k) or "").strip() for k in usecase.SEARCH_FIELDS}
    found = await usecase.search(services, staff.token, criteria)
    return _search_page(request, staff, found, status=422 if found.errors else 200)


def _search_page(
    request: Request, staff: Staff, found: usecase.Search, status: int = 200
) -> HTMLResponse:
    context = {"title": "本人検索", "search": found, "district_name": labels.district_name}
    return render(request, "consult/search.html", context, status=status, session=staff.session)


def _person_id(text: str | None) -> str | None:
    try:
        return str(uuid.UUID(text)) if text else None
    except ValueError:
        return None


@router.get("/consultations/new", response_class=HTMLResponse)
async def consultation_form(
    request: Request, staff: Window, services: ServicesDep, person_id: str | None = None
) -> HTMLResponse:
    now = datetime.now(JST)
    draft = rules.Draft(
        values={
            "person_id": _person_id(person_id) or "",
            "received_date": format_date(now.date()),
            "received_time": now.strftime("%H:%M"),
            "channel": "in_person",
            "idempotency_key": uuid.uuid4().hex,
        },
        lists={},
    )
    found = await _found(services, staff, draft)
    if found and found.get("school_district_code"):
        draft.values["school_district_code"] = found["school_district_code"]
    return _form_page(request, staff, draft, found, usecase.Submitted())


async def _found(services: ServicesDep, staff: Staff, draft: rules.Draft) -> dict[str, Any] | None:
    person_id = _person_id(draft.get("person_id"))
    if person_id is None:
        draft.values["person_id"] = ""
        return None
    found = await usecase.found_person(services, staff.token, person_id)
    if found is None:
        draft.values["person_id"] = ""
    return found


def _birth(found: dict[str, Any] | None) -> date | None:
    text = (found or {}).get("birth_date")
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


@router.post("/consultations/new", response_model=None)
async def take_consultation(
    request: Request, staff: Window, services: ServicesDep, form: CheckedForm
) -> Response:
    draft = rules.draft_from(form.multi_items())
    if not draft.get("idempotency_key"):
        draft.values["idempotency_key"] = uuid.uuid4().hex
    found = await _found(services, staff, draft)
    if form.get("action") == "check":
        # 確認だけ: household situations and 重複候補, nothing written.
        plan, _ = rules.plan(draft, datetime.now(JST), _birth(found))
        duplicates = await usecase.duplicate_candidates(services, staff.token, plan)
        return _form_page(request, staff, draft, found, usecase.Submitted(duplicates=duplicates))
    done = await usecase.submit(services, staff.token, draft, datetime.now(JST), _birth(found))
    if done.case_id is not None:
        return RedirectResponse(f"/cases/{done.case_id}", status_code=303)
    return _form_page(request, staff, draft, found, done, status=422 if done.errors else 200)


@router.post("/consultations/new/situations", response_model=None)
async def live_situations(request: Request, staff: Window, form: CheckedForm) -> Response:
    """The household situations of the form as typed, for the optional script: no service
    call, nothing written. ``found_birth`` is the found 本人's birth date the page shows."""
    draft = rules.draft_from(form.multi_items())
    birth = _birth({"birth_date": form.get("found_birth") or None})
    codes = rules.situations(draft, birth, datetime.now(JST).date())
    shown = [
        {"code": c, "label": labels.issue_codes()[c], "note": labels.SITUATION_NOTES[c]}
        for c in codes
    ]
    return JSONResponse({"situations": shown}, headers={"Cache-Control": "no-store"})


def _form_page(
    request: Request,
    staff: Staff,
    draft: rules.Draft,
    found: dict[str, Any] | None,
    done: usecase.Submitted,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "title": "相談受付",
        "draft": draft,
        "found": found,
        "errors": done.errors,
        "duplicates": done.duplicates,
        "situations": rules.situations(draft, _birth(found), datetime.now(JST).date()),
        "members": [f"m{i}" for i in range(1, rules.MEMBER_ROWS + 1)],
        "labels": labels,
        "district_name": labels.district_name,
    }
    return render(request, "consult/new.html", context, status=status, session=staff.session)
