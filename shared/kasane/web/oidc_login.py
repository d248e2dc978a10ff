"""Browser sign-in through the identity provider: OIDC authorization code flow with PKCE.

Reusable by any kasane web page (the indicators dashboard today, the staff portal next):
``sign_in_router(SignInPages(...))`` adds ``GET <prefix>/login``, ``GET <prefix>/callback``
and ``POST <prefix>/logout``; ``current_session(request)`` gives the signed-in session.

1. ``/login`` stores a pending sign-in (state, nonce, PKCE verifier) server-side, sets its
   secret in a short-lived cookie and redirects to the provider's authorization endpoint.
2. The provider redirects back to ``/callback`` with a code; the state must match this
   browser's pending sign-in. The code is exchanged (with the PKCE verifier and the client
   secret) for tokens. The access token is verified like any bearer token
   (``app.state.token_verifier``: issuer, signature, audience, agency and role rules); the
   ID token's signature, audience (the client id) and nonce are checked.
3. A server-side session is created (kasane.web.sessions); the cookie holds only its secret.
4. ``/logout`` (a form with the session's CSRF token) deletes the session and sends the
   browser to the provider's end_session endpoint with ``id_token_hint``, so the provider's
   single sign-on session ends too.

Tokens never appear in URLs or logs; the access token is not kept after sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kasane.auth.errors import InvalidToken
from kasane.auth.oidc import OidcVerifier
from kasane.auth.principal import Principal
from kasane.settings import Settings
from kasane.web.sessions import (
    LOGIN_COOKIE,
    LOGIN_TTL,
    SESSION_COOKIE,
    LoginAttempt,
    SessionStore,
    WebSession,
    safe_return_to,
)

log = logging.getLogger(__name__)


def pkce_challenge(verifier: str) -> str:
    """S256 code challenge (RFC 7636): base64url(sha256(verifier)) without padding."""
    hashed = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(hashed).rstrip(b"=").decode("ascii")


class SignInUnavailable(Exception):
    """No OIDC issuer is configured for browser sign-in (KASANE_OIDC_ISSUERS is empty)."""


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    id_token: str | None
    # Kept only by a page family that calls the APIs as the user (the staff portal):
    # SignInPages.on_signed_in receives them; the dashboard drops them.
    refresh_token: str | None = None
    expires_in: int | None = None  # seconds the access token is valid, as the IdP said


def _token_set(body: dict[str, Any], previous_id_token: str | None = None) -> TokenSet:
    id_token = body.get("id_token") or previous_id_token
    refresh = body.get("refresh_token")
    expires = body.get("expires_in")
    return TokenSet(
        str(body["access_token"]),
        str(id_token) if id_token else None,
        str(refresh) if refresh else None,
        int(expires) if isinstance(expires, int | float) else None,
    )


class OidcLogin:
    """The client side of the flow for one issuer and client."""

    def __init__(self, verifier: OidcVerifier, client_id: str, client_secret: str) -> None:
        self.verifier = verifier
        self.client_id = client_id
        self._client_secret = client_secret

    @property
    def issuer(self) -> str:
        return self.verifier.issuer

    def provider_origin(self) -> str | None:
        """Origin of the IdP's pages, once known (no I/O: pages call this per request)."""
        discovery = self.verifier.cached_discovery
        if discovery is None:
            return None
        parts = urlsplit(discovery.end_session_endpoint or discovery.authorization_endpoint)
        return f"{parts.scheme}://{parts.netloc}"

    def authorization_url(self, redirect_uri: str, state: str, nonce: str, verifier: str) -> str:
        query = urlencode(
            {
                "client_id": self.client_id,
                "response_type": "code",
                "scope": "openid",
                "redirect_uri": redirect_uri,
                "state": state,
                "nonce": nonce,
                "code_challenge": pkce_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        return f"{self.verifier.discovery().authorization_endpoint}?{query}"

    async def exchange(self, code: str, redirect_uri: str, code_verifier: str) -> TokenSet:
        body = await self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            }
        )
        return _token_set(body)

    async def refresh(self, refresh_token: str, id_token: str | None) -> TokenSet:
        """A fresh access token for a signed-in user (the refresh token grant). Refused when
        the provider's session ended or the user was disabled: the caller signs the user out."""
        body = await self._token_request(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )
        return _token_set(body, previous_id_token=id_token)

    async def _token_request(self, form: dict[str, str]) -> dict[str, Any]:
        form = {**form, "client_id": self.client_id}
        if self._client_secret:
            form["client_secret"] = self._client_secret
        try:
            async with httpx.AsyncClient(timeout=10.0) as client:
                response = await client.post(self.verifier.discovery().token_endpoint, data=form)
            body: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise InvalidToken(f"token endpoint: {type(exc).__name__}") from exc
        if response.status_code != 200 or "access_token" not in body:
            raise InvalidToken(f"token endpoint refused the grant: {body.get('error', '?')}")
        return body

    def check_id_token(self, id_token: str | None, nonce: str) -> None:
        if id_token is None:
            raise InvalidToken("no ID token (is the openid scope allowed?)")
        claims = self.verifier.decode(id_token, audience=self.client_id)
        if claims.get("nonce") != nonce:
            raise InvalidToken("ID token nonce does not match this sign-in")

    def end_session_url(self, id_token: str | None, post_logout_redirect_uri: str) -> str | None:
        endpoint = self.verifier.discovery().end_session_endpoint
        if endpoint is None:
            return None
        query = {"client_id": self.client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
        if id_token:
            query["id_token_hint"] = id_token
        return f"{endpoint}?{urlencode(query)}"


def oidc_login(request: Request) -> OidcLogin:
    """The app's OidcLogin, built on first use from settings and the token verifier."""
    found: OidcLogin | None = getattr(request.app.state, "oidc_login", None)
    if found is not None:
        return found
    settings: Settings = request.app.state.settings
    issuer = settings.oidc_login_issuer or next(
        (e if isinstance(e, str) else e.get("issuer", "") for e in settings.oidc_issuers), ""
    )
    verifier = request.app.state.token_verifier.for_issuer(issuer) if issuer else None
    if not isinstance(verifier, OidcVerifier):
        raise SignInUnavailable(issuer)
    login = OidcLogin(verifier, settings.oidc_client_id, settings.oidc_client_secret)
    request.app.state.oidc_login = login
    return login


def session_store(request: Request) -> SessionStore:
    settings: Settings = request.app.state.settings
    return SessionStore(
        request.app.state.pool,
        idle=timedelta(minutes=settings.web_session_idle_minutes),
        max_age=timedelta(hours=settings.web_session_max_hours),
    )


async def current_session(request: Request) -> WebSession | None:
    return await session_store(request).current(request.cookies.get(SESSION_COOKIE))


@dataclass(frozen=True)
class SignInPages:
    """What a page family needs: where it lives and how it shows a failed sign-in."""

    prefix: str  # e.g. "/dashboard"; login, callback, logout live under it
    home: str  # where to go after sign-in / sign-out, e.g. "/dashboard"
    # (message, HTTP status) -> the page's own HTML for a failed sign-in
    error_page: Callable[[str, int], HTMLResponse]
    # Called once the session exists, with its cookie secret and the provider's tokens: a
    # backend-for-frontend keeps them to call APIs as the user (kasane portal). None: the
    # tokens are dropped after sign-in.
    on_signed_in: Callable[[Request, str, TokenSet], Awaitable[None]] | None = None


def _cookie(response: Response, request: Request, name: str, value: str, **kw: Any) -> None:
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back, not cross-site POSTs
        secure=request.url.scheme == "https",
        **kw,
    )


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


async def _login(request: Request, return_to: str | None, pages: SignInPages) -> Response:
    """Step 1: a pending sign-in kept server-side, then off to the provider."""
    try:
        client = oidc_login(request)
        secret, attempt = await session_store(request).begin_login(
            safe_return_to(return_to, pages.home)
        )
        # Discovery may be fetched here (blocking I/O): off the event loop.
        url = await run_in_threadpool(
            client.authorization_url,
            _callback_url(request), attempt.state, attempt.nonce, attempt.code_verifier,
        )  # fmt: skip
    except (SignInUnavailable, InvalidToken) as exc:
        log.warning("sign-in unavailable: %s", type(exc).__name__)
        return pages.error_page(
            "サインインを利用できません（認証基盤に接続できません） / sign-in unavailable", 503
        )
    response = RedirectResponse(url, status_code=303)
    _cookie(
        response, request, LOGIN_COOKIE, secret,
        max_age=int(LOGIN_TTL.total_seconds()), path=pages.prefix,
    )  # fmt: skip
    return response


async def _verified_tokens(
    request: Request, code: str, attempt: LoginAttempt
) -> tuple[OidcLogin, TokenSet, Principal]:
    """Step 2: the code exchanged, the ID token and the access token checked."""
    client = oidc_login(request)
    tokens = await client.exchange(code, _callback_url(request), attempt.code_verifier)
    await run_in_threadpool(client.check_id_token, tokens.id_token, attempt.nonce)
    principal = await run_in_threadpool(
        request.app.state.token_verifier.verify, tokens.access_token
    )
    return client, tokens, principal


async def _callback(
    request: Request, state: str, code: str, error: str, pages: SignInPages
) -> Response:
    """Steps 2 and 3: the provider's answer for this browser's pending sign-in → a session."""
    store = session_store(request)
    attempt = await store.take_login(request.cookies.get(LOGIN_COOKIE))
    if attempt is None or not state or state != attempt.state:
        return pages.error_page(
            "サインインの手続きが無効か期限切れです。もう一度お試しください"
            " / sign-in expired or not started in this browser",
            400,
        )
    if error or not code:
        return pages.error_page(f"サインインが中止されました / sign-in failed: {error}", 401)
    try:
        client, tokens, principal = await _verified_tokens(request, code, attempt)
    except (SignInUnavailable, InvalidToken) as exc:
        # The reason names a claim or a rule, never a token value.
        log.warning("sign-in refused: %s", exc)
        return pages.error_page(f"サインインできません / sign-in refused: {exc}", 401)
    secret, _ = await store.create(principal, client.issuer, tokens.id_token)
    if pages.on_signed_in is not None:
        await pages.on_signed_in(request, secret, tokens)
    response = RedirectResponse(attempt.return_to, status_code=303)
    _cookie(response, request, SESSION_COOKIE, secret, path="/")
    response.delete_cookie(LOGIN_COOKIE, path=pages.prefix)
    return response


async def _provider_logout_url(request: Request, ended: WebSession, home: str) -> str | None:
    """The provider's end_session URL for the ended session (None: none to go to)."""
    try:
        client = oidc_login(request)
        return await run_in_threadpool(client.end_session_url, ended.id_token, home)
    except (SignInUnavailable, InvalidToken):
        return None  # the local session is gone; the provider's ends at its own timeout


async def _logout(request: Request, pages: SignInPages) -> Response:
    """Step 4: the session ended here, then at the provider."""
    # Parsed by hand: python-multipart is not a dependency for one urlencoded field.
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    store = session_store(request)
    secret = request.cookies.get(SESSION_COOKIE)
    session = await store.current(secret)
    if session is not None and form.get("csrf_token", [""])[0] != session.csrf_token:
        return pages.error_page("不正なリクエストです / CSRF token mismatch", 403)
    ended = await store.end(secret)
    home = str(request.base_url).rstrip("/") + pages.home
    target = pages.home
    if ended is not None:
        target = await _provider_logout_url(request, ended, home) or target
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def sign_in_router(pages: SignInPages) -> APIRouter:
    # Browser redirects, not an API: kept out of the OpenAPI document (the pages it serves are
    # for people; the API documents bearer-token calls).
    router = APIRouter(prefix=pages.prefix, tags=["サインイン sign-in"], include_in_schema=False)

    @router.get("/login", summary="サインイン（IdP へ移動）")
    async def login(request: Request, return_to: str | None = None) -> Response:
        return await _login(request, return_to, pages)

    @router.get("/callback", name="oidc_callback", summary="IdP からの戻り先")
    async def callback(
        request: Request, state: str = "", code: str = "", error: str = ""
    ) -> Response:
        return await _callback(request, state, code, error, pages)

    @router.post("/logout", summary="サインアウト（IdP のセッションも終了）")
    async def logout(request: Request) -> Response:
        return await _logout(request, pages)

    return router
