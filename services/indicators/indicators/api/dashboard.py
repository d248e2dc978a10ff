"""GET /dashboard (HTML, Japanese); sign-in through the identity provider.

How a browser authenticates: indicators/api/session_auth.py and kasane.web.oidc_login.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from indicators.api.dashboard_html import agency_page, dashboard_page
from indicators.api.deps import Now, Pool
from indicators.api.pages import forbidden_page, login_page, sign_in_error_page
from indicators.api.session_auth import NotAllowed, NotSignedIn, city_principal
from indicators.domain.agency_view import may_use_agency_view
from indicators.domain.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from indicators.usecases.reading import year_report
from kasane.fiscal_year import fiscal_year_of
from kasane.web.oidc_login import SignInPages, sign_in_router

router = APIRouter(prefix="/dashboard", tags=["ダッシュボード dashboard"])

FIRST_YEAR_SHOWN = 2018  # the seed's earliest baseline (H30)

# No script at all, nothing from elsewhere, not framable. Forms post to this site only;
# sign-out's redirect to the identity provider is a navigation the browser checks against
# form-action too, so the provider's origin is added where it is known.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _csp(request: Request) -> str:
    login = getattr(request.app.state, "oidc_login", None)
    origin = login.provider_origin() if login is not None else None
    provider = f" {origin}" if origin else ""
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"form-action 'self'{provider}; frame-ancestors 'none'; base-uri 'none'"
    )


def _html(request: Request, body: str, status: int = 200) -> HTMLResponse:
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": _csp(request)}
    return HTMLResponse(body, status_code=status, headers=headers)


def _year(value: str | int | None, today: date) -> int:
    try:
        year = int(value) if value is not None else fiscal_year_of(today)
    except ValueError:
        year = fiscal_year_of(today)
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
    pool: Pool,
    clock: Now,
    fiscal_year: Annotated[
        int | None, Query(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR, description="年度")
    ] = None,
) -> Response:
    today = clock.today()
    year = _year(fiscal_year, today)
    try:
        _, session = await city_principal(request)
    except NotSignedIn:
        return_to = quote(f"/dashboard?fiscal_year={year}", safe="")
        return _html(request, login_page(f"/dashboard/login?return_to={return_to}"), 401)
    except NotAllowed as exc:
        csrf = exc.session.csrf_token if exc.session else ""
        if exc.principal is None or not may_use_agency_view(exc.principal):
            return _html(request, forbidden_page(csrf), 403)
        # A 委託先's manager: their own agency's monthly figures, nothing else.
        report = await year_report(pool, year, today)
        agency = exc.principal.agency
        return _html(request, agency_page(report, agency, _years(today, year), csrf))
    report = await year_report(pool, year, today)
    years = _years(today, year)
    return _html(request, dashboard_page(report, years, session.csrf_token if session else ""))


def _years(today: date, year: int) -> list[int]:
    return sorted({*range(FIRST_YEAR_SHOWN, fiscal_year_of(today) + 1), year})


def _sign_in_error(message: str, status: int) -> HTMLResponse:
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": "default-src 'none'; "
               "style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"}  # fmt: skip
    return HTMLResponse(sign_in_error_page(message), status_code=status, headers=headers)


# /dashboard/login, /dashboard/callback, /dashboard/logout
sign_in = sign_in_router(
    SignInPages(prefix="/dashboard", home="/dashboard", error_page=_sign_in_error)
)
