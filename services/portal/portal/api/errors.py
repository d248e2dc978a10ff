"""What a page shows when it cannot be shown: HTML in Japanese, never a JSON error body."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from portal.api.deps import BadCsrf, Refused, SignInRequired
from portal.api.signin import signed_out_page
from portal.api.templating import render
from portal.store.services import ServiceDown

SERVICE_NAMES = {
    "intake": "相談受付",
    "referral": "つなぎ（紹介）",
    "participation": "参加支援",
    "community": "地域づくり",
    "outreach": "アウトリーチ",
    "meetings": "会議",
    "indicators": "指標",
}


def error_page(request: Request, title: str, message: str, status: int) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "message": message}, status=status)


async def _sign_in_required(request: Request, _: Exception) -> Response:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method == "GET":
        return RedirectResponse(f"/auth/login?return_to={quote(here, safe='')}", status_code=303)
    return signed_out_page(request, here)


async def _bad_csrf(request: Request, _: Exception) -> Response:
    return error_page(
        request,
        "送信できませんでした",
        "画面の有効期限が切れたか、不正な送信です。画面を開き直してからもう一度お試しください。",
        403,
    )


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    screen = exc.screen
    context = {"title": screen.refusal_title, "message": screen.refusal}
    # With the session: the page keeps the user's own menu.
    return render(request, "error.html", context, status=403, session=exc.staff.session)


async def _service_down(request: Request, exc: Exception) -> Response:
    name = SERVICE_NAMES.get(getattr(exc, "service", ""), "")
    return error_page(
        request,
        "ただいま表示できません",
        f"{name}のシステムが応答しません。しばらくしてからもう一度お試しください。",
        503,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
    messages = {
        404: ("ページが見つかりません", "アドレスをご確認ください。"),
        405: ("この操作はできません", "画面のボタンから操作してください。"),
    }
    title, message = messages.get(status, ("エラー", "もう一度お試しください。"))
    return error_page(request, title, message, status)


def install(app: FastAPI) -> None:
    app.add_exception_handler(SignInRequired, _sign_in_required)
    app.add_exception_handler(BadCsrf, _bad_csrf)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(ServiceDown, _service_down)
    app.add_exception_handler(StarletteHTTPException, _http_error)
