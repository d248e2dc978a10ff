"""Who is asking, and with what token: every page's dependencies.

``Staff`` is a signed-in user with a fresh access token for the services. Without a session
a page redirects to sign-in and comes back (GET), or answers 401 (forms: the CSRF token
could not be checked anyway). Every form carries the session's CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from kasane.auth.principal import Principal
from kasane.web.oidc_login import current_session, oidc_login
from kasane.web.sessions import SESSION_COOKIE, WebSession
from portal.store.services import Services
from portal.store.tokens import TokenStore
from portal.usecases import tokens


class SignInRequired(Exception):
    """No live session (or its tokens are gone): sign in again."""


class BadCsrf(Exception):
    """A form without this session's CSRF token."""


@dataclass(frozen=True)
class Staff:
    session: WebSession
    token: str  # the user's own access token, for the services

    @property
    def principal(self) -> Principal:
        return self.session.principal


async def signed_in(request: Request) -> Staff:
    session = await current_session(request)
    secret = request.cookies.get(SESSION_COOKIE)
    if session is None or secret is None:
        raise SignInRequired
    try:
        token = await tokens.bearer(
            TokenStore(request.app.state.pool), oidc_login(request), secret, datetime.now(UTC)
        )
    except tokens.SignedOut as exc:
        raise SignInRequired from exc
    return Staff(session, token)


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def form_with_csrf(request: Request, staff: Annotated[Staff, Depends(signed_in)]) -> FormData:
    form = await request.form()
    if form.get("csrf_token") != staff.session.csrf_token:
        raise BadCsrf
    return form


def typed_values(form: FormData) -> dict[str, Any]:
    """What the user typed, to show again after a refusal (never the CSRF token: the page
    renders the session's own)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


SignedIn = Annotated[Staff, Depends(signed_in)]
ServicesDep = Annotated[Services, Depends(services)]
CheckedForm = Annotated[FormData, Depends(form_with_csrf)]
