"""Who may read city reports: by bearer header, or by the dashboard's signed-in session.

A browser cannot send a bearer header when it navigates, so the dashboard signs people in
through the identity provider (kasane.web.oidc_login: authorization code + PKCE) and keeps
a server-side session (kasane.web.sessions); the cookie only holds the session's secret.
The session is honoured only by safe GET pages (dashboard, CSV/Excel downloads) and by
sign-out (which checks the session's CSRF token); changes (targets, surveys) need the
bearer header, so a forged cross-site request cannot use the session.
"""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from kasane.auth import Principal
from kasane.auth.errors import InvalidToken
from kasane.auth.issuers import Verifier
from kasane.auth.roles import CITY_READER_ROLES
from kasane.web.oidc_login import current_session
from kasane.web.sessions import WebSession


class NotSignedIn(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotAllowed(Exception):
    def __init__(
        self, session: WebSession | None = None, principal: Principal | None = None
    ) -> None:
        super().__init__("not a city role")
        self.session = session
        self.principal = principal  # who was refused (the dashboard may offer a narrower view)


def bearer_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return None


async def city_principal(request: Request) -> tuple[Principal, WebSession | None]:
    """The city principal (and its session, for a browser); NotSignedIn or NotAllowed."""
    token = bearer_of(request)
    if token is not None:
        verifier: Verifier = request.app.state.token_verifier
        try:
            # A first use or a key rotation fetches the IdP's keys: off the event loop.
            principal = await run_in_threadpool(verifier.verify, token)
        except InvalidToken as exc:
            raise NotSignedIn(f"無効なトークンです / invalid token: {exc}") from exc
        session = None
    else:
        session = await current_session(request)
        if session is None:
            raise NotSignedIn("認証が必要です / sign-in required")
        principal = session.principal
    if not principal.has_any(*CITY_READER_ROLES):
        raise NotAllowed(session, principal)
    return principal, session
