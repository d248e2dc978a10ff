"""Who may read city reports, by bearer header or by the dashboard's session cookie.

A browser cannot send a bearer header when it navigates, so the dashboard has a login form
that posts a token; the server verifies it exactly like a bearer token and, if it belongs to
a city official, stores that same token in an HttpOnly, SameSite=Strict cookie. Every later
request verifies the cookie's token again (signature, audience, issuer, expiry, role): the
cookie is never weaker than the header and dies with the token. The cookie is honoured only
by safe GET pages (dashboard, CSV/Excel downloads); changes (targets, surveys) need the
header, so a forged cross-site request cannot use it.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from kasane.auth import Principal
from kasane.auth.tokens import InvalidToken, TokenVerifier

COOKIE = "kasane_dashboard"
CITY_ROLES: tuple[str, ...] = ("city_official",)


class NotSignedIn(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotAllowed(Exception):
    pass


def token_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.cookies.get(COOKIE) or None


def verify_city(request: Request, token: str | None) -> Principal:
    """The city principal behind ``token``; NotSignedIn (401) or NotAllowed (403)."""
    if token is None:
        raise NotSignedIn("認証が必要です / sign-in required")
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        principal = verifier.verify(token)
    except InvalidToken as exc:
        raise NotSignedIn(f"無効なトークンです / invalid token: {exc}") from exc
    if not principal.has_any(*CITY_ROLES):
        raise NotAllowed()
    return principal


def city_reader(request: Request) -> Principal:
    """Dependency for GET downloads: header or dashboard cookie, city roles only."""
    try:
        return verify_city(request, token_of(request))
    except NotSignedIn as exc:
        raise HTTPException(401, exc.reason, {"WWW-Authenticate": "Bearer"}) from exc
    except NotAllowed as exc:
        raise HTTPException(
            403, f"権限がありません / requires one of the roles: {', '.join(CITY_ROLES)}"
        ) from exc
