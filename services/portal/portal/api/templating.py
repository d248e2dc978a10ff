"""Rendering: one Jinja2 environment, Japanese filters, and the headers every page carries.

Pages show personal data, so they are never cached (``no-store``) and never framed; the
Content-Security-Policy allows only the portal's own files, so a page works on a closed
network exactly as it does here, and an injected script cannot run.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kasane.wareki import format_date as wareki_date
from kasane.web.sessions import WebSession
from portal.domain import navigation
from portal.domain import referrals as referral_rules

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
JST = ZoneInfo("Asia/Tokyo")


def security_headers(request: Request) -> dict[str, str]:
    # Sign-out posts to the portal, which redirects to the identity provider: form-action
    # must allow that origin too (Chromium applies it to the redirect).
    login = getattr(request.app.state, "oidc_login", None)
    provider = login.provider_origin() if login is not None else None
    forms = f"'self' {provider}" if provider else "'self'"
    return {
        "Content-Security-Policy": (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            f" form-action {forms}; frame-ancestors 'none'; base-uri 'none'"
        ),
        **SECURITY_HEADERS,
    }


SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _wareki(value: date | datetime | str | None) -> str:
    """令和8年12月1日 (a date), 令和8年12月1日 14:05 (a time, in Japan)."""
    if value is None or value == "":
        return ""
    when: date | datetime
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    else:
        when = value
    if isinstance(when, datetime):
        local = when.astimezone(JST) if when.tzinfo else when
        return f"{wareki_date(local.date())} {local:%H:%M}"
    return wareki_date(when)


environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    # Templates ship with the release: compiled once, never re-checked on disk per page.
    auto_reload=False,
)
environment.filters["wareki"] = _wareki
environment.filters["agency"] = navigation.agency_name
# つなぎ labels, for the referral pages and the case page's section wherever it is included.
environment.filters["referral_target"] = referral_rules.target_label
environment.filters["referral_status"] = lambda code: referral_rules.STATUS_LABELS.get(code, code)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    session: WebSession | None = None,
) -> HTMLResponse:
    page = environment.get_template(template).render(
        request=request,
        session=session,
        menu=navigation.menu(session.principal) if session else [],
        role_labels=navigation.role_labels(session.principal) if session else "",
        agency_name=navigation.agency_name(session.principal.agency) if session else "",
        path=request.url.path,
        **(context or {}),
    )
    return HTMLResponse(page, status_code=status, headers=security_headers(request))
