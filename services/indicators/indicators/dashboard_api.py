"""GET /dashboard (HTML, Japanese) with a sign-in form that sets the session cookie.

How a browser authenticates is explained in indicators/auth.py.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from indicators.api import year_report
from indicators.auth import COOKIE, NotAllowed, NotSignedIn, token_of, verify_city
from indicators.dashboard import dashboard_page, forbidden_page, login_page
from indicators.domain import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, today_jst
from kasane.fiscal_year import fiscal_year_of

router = APIRouter(prefix="/dashboard", tags=["ダッシュボード dashboard"])

FIRST_YEAR_SHOWN = 2018  # the seed's earliest baseline (H30)

# No script at all, nothing from elsewhere, not framable.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def _year(value: str | int | None) -> int:
    try:
        year = int(value) if value is not None else fiscal_year_of(today_jst())
    except ValueError:
        year = fiscal_year_of(today_jst())
    return min(max(year, MIN_FISCAL_YEAR), MAX_FISCAL_YEAR)


# Sign-in errors are pages for people, not JSON (the OpenAPI document says so).
_PAGE = {"text/html": {"schema": {"type": "string"}}}
_SIGN_IN_PAGES: dict[int | str, dict[str, Any]] = {
    401: {"description": "サインイン画面 / the sign-in page", "content": _PAGE},
    403: {"description": "権限のない方への案内 / not allowed", "content": _PAGE},
}


@router.get(
    "",
    response_class=HTMLResponse,
    summary="ダッシュボード（HTML）",
    responses=_SIGN_IN_PAGES,
)
async def dashboard(
    request: Request,
    fiscal_year: Annotated[
        int | None, Query(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度")
    ] = None,
) -> Response:
    year = _year(fiscal_year)
    try:
        verify_city(request, token_of(request))
    except NotSignedIn as exc:
        message = None if token_of(request) is None else exc.reason
        return _html(login_page(year, message), 401)
    except NotAllowed:
        return _html(forbidden_page(), 403)
    report = await year_report(request, year)
    current = fiscal_year_of(today_jst())
    years = sorted({*range(FIRST_YEAR_SHOWN, current + 1), year})
    return _html(dashboard_page(report, years))


@router.post(
    "/login",
    response_class=HTMLResponse,
    summary="トークンでサインイン",
    responses={
        303: {"description": "サインイン済み: ダッシュボードへ / signed in: to the dashboard"},
        **_SIGN_IN_PAGES,
    },
)
async def login(request: Request) -> Response:
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0].strip() or None
    years = form.get("fiscal_year")
    year = _year(years[0] if years else None)
    try:
        verify_city(request, token)
    except NotSignedIn as exc:
        return _html(login_page(year, exc.reason), 401)
    except NotAllowed:
        return _html(forbidden_page(), 403)
    response = RedirectResponse(f"/dashboard?fiscal_year={year}", status_code=303)
    # A session cookie (no Max-Age): the token's own expiry is checked on every request.
    response.set_cookie(
        COOKIE,
        token or "",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post(
    "/logout",
    summary="サインアウト",
    status_code=303,
    response_class=Response,
    responses={303: {"description": "ダッシュボードへ / to the dashboard"}},
)
async def logout() -> Response:
    response = RedirectResponse("/dashboard", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
