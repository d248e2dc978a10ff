"""開示請求（アクセス記録）: an auditor finds a person by id and sees (and prints) who
accessed their records, when, why and with what outcome.

The person id is POSTed, never put in the URL (the access log of the web server would keep
it). Non-auditors get the 403 page; intake refuses them too, and audits the attempt.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from portal.api.deps import Auditor, CheckedForm, ServicesDep, Staff
from portal.api.errors import error_page
from portal.api.templating import render
from portal.domain import access_log as rules
from portal.usecases import access_log as usecase

router = APIRouter(include_in_schema=False)
TITLE = "開示請求（アクセス記録）"


def _forbidden(request: Request, staff: Staff) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {"title": "権限がありません", "message": "開示請求の画面は監査担当だけが使えます。"},
        status=403,
        session=staff.session,
    )


def _page(
    request: Request, staff: Staff, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    base = {"title": TITLE, "rules": rules, "person_id": "", "errors": {}, "log": None}
    return render(
        request, "access_log/index.html", {**base, **context}, status=status, session=staff.session
    )


@router.get("/access-log", response_class=HTMLResponse)
async def access_log_form(request: Request, staff: Auditor) -> HTMLResponse:
    return _page(request, staff, {})


@router.post("/access-log", response_class=HTMLResponse)
async def access_log(
    request: Request, staff: Auditor, services: ServicesDep, form: CheckedForm
) -> HTMLResponse:
    typed = str(form.get("person_id") or "")
    person_id = rules.parse_person_id(typed)
    if person_id is None:
        errors = {"person_id": "本人IDを正しく入力してください（8-4-4-4-12桁の英数字）。"}
        return _page(request, staff, {"person_id": typed, "errors": errors}, 422)
    after = str(form.get("after_seq") or "0")
    answer = await usecase.person_access_log(
        services, staff.token, person_id, int(after) if after.isdigit() else 0
    )
    if answer.status == 403:
        return _forbidden(request, staff)
    if answer.status == 404:
        errors = {"person_id": "この本人IDの記録はありません。"}
        return _page(request, staff, {"person_id": typed, "errors": errors}, 404)
    if not answer.ok or not isinstance(answer.body, dict):
        return error_page(request, "表示できません", "アクセス記録を取得できませんでした。", 502)
    return _page(request, staff, {"person_id": str(person_id), "log": answer.body})
