"""FastAPI dependencies: ``Depends(authenticated)`` and ``Depends(require_roles(...))``.

Each is **one** dependency node: reading the bearer header, verifying the token and checking
the roles happen in one call. FastAPI's per-node bookkeeping (cache keys, callable
classification, four parameter lookups) costs about as much as the work itself, and the
former chain ``require_roles → authenticated → HTTPBearer`` paid it three times on every
request (bench/README.md, "The HTTP layer"). Both are ``HTTPBearer`` instances, so the
OpenAPI document still names the ``HTTPBearer`` security scheme on every route that uses
them.

No ``from __future__ import annotations`` here: FastAPI reads ``BearerPrincipal.__call__``'s
signature at route creation, and an instance has no module globals to resolve a string
annotation against.
"""

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPBearer

from kasane.audit import record_access, refusal_entries
from kasane.auth.issuers import MultiIssuerVerifier, Verifier
from kasane.auth.principal import Principal
from kasane.auth.tokens import InvalidToken

_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}
_DESCRIPTION = "JWT of a trusted issuer (city key or OIDC provider)"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` value; None for a missing or other
    scheme (as FastAPI's ``HTTPBearer``: scheme case-insensitive, token stripped)."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if not scheme or not token or scheme.lower() != "bearer":
        return None
    return token


async def verify_bearer(request: Request) -> Principal:
    """The caller's principal, or 401."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise HTTPException(401, "認証が必要です / bearer token required", _UNAUTHORIZED)
    verifier: Verifier = request.app.state.token_verifier
    # A token verified before is answered on the event loop (a dict look-up); a new one is
    # verified in a worker thread, because an OIDC issuer's verifier may fetch its keys
    # over HTTP (kasane.auth.oidc) and must not block the loop while it does.
    known = verifier.cached(token) if isinstance(verifier, MultiIssuerVerifier) else None
    if known is not None:
        return known
    try:
        return await run_in_threadpool(verifier.verify, token)
    except InvalidToken as exc:
        raise HTTPException(
            401, f"無効なトークンです / invalid token: {exc}", _UNAUTHORIZED
        ) from exc


async def audit_refusal(request: Request, principal: Principal) -> None:
    """Leave a denied access-audit row for each personal record the refused request names
    in its path (``kasane.audit.PERSONAL_RECORD_PARAMS``), in a transaction of its own."""
    entries = refusal_entries(
        principal,
        request.method,
        request.path_params,
        (request.headers.get("x-kasane-purpose") or "").strip()[:200] or None,
    )
    pool = getattr(request.app.state, "pool", None)
    if not entries or pool is None:
        return
    async with pool.acquire() as conn, conn.transaction():
        for entry in entries:
            await record_access(conn, entry)


class BearerPrincipal(HTTPBearer):
    """The caller (``roles`` empty: any signed-in caller), or 401; with ``roles``, a
    caller holding none of them is refused 403, and the refusal audited."""

    def __init__(self, roles: tuple[str, ...] = ()) -> None:
        # The scheme name of FastAPI's own HTTPBearer: the OpenAPI document is unchanged.
        super().__init__(auto_error=False, scheme_name="HTTPBearer", description=_DESCRIPTION)
        self.roles = roles

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        principal = await self._caller(request)
        if self.roles and not principal.has_any(*self.roles):
            # Refused before any record is read: still a refused attempt on it, if the path
            # names one (a city official opening /cases/{id}), so it is audited.
            await audit_refusal(request, principal)
            raise HTTPException(
                403, f"権限がありません / requires one of the roles: {', '.join(self.roles)}"
            )
        return principal

    async def _caller(self, request: Request) -> Principal:
        overrides = request.app.dependency_overrides
        if overrides and self is not authenticated:
            # Tests pin the caller with ``app.dependency_overrides[authenticated]``; a role
            # check was a dependant of ``authenticated`` and honoured that, so it still does
            # (an override taking no parameters, as those tests use).
            override: Callable[[], Any] | None = overrides.get(authenticated)
            if override is not None:
                pinned = override()
                return await pinned if inspect.isawaitable(pinned) else pinned  # type: ignore[no-any-return]
        return await verify_bearer(request)


authenticated = BearerPrincipal()


def require_roles(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the caller, holding at least one of ``roles`` (else 403, audited)."""
    if not roles:
        raise ValueError("require_roles needs at least one role; use authenticated for any")
    return BearerPrincipal(roles)
