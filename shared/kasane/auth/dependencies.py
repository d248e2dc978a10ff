"""FastAPI dependencies: ``Depends(authenticated)`` and ``Depends(require_roles(...))``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kasane.audit import record_access, refusal_entries
from kasane.auth.issuers import MultiIssuerVerifier, Verifier
from kasane.auth.principal import Principal
from kasane.auth.tokens import InvalidToken

_bearer = HTTPBearer(
    auto_error=False, description="JWT of a trusted issuer (city key or OIDC provider)"
)

_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


async def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(401, "認証が必要です / bearer token required", _UNAUTHORIZED)
    verifier: Verifier = request.app.state.token_verifier
    token = credentials.credentials
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


def require_roles(*roles: str) -> Callable[..., Awaitable[Principal]]:
    async def check(
        request: Request, principal: Annotated[Principal, Depends(authenticated)]
    ) -> Principal:
        if not principal.has_any(*roles):
            # Refused before any record is read: still a refused attempt on it, if the path
            # names one (a city official opening /cases/{id}), so it is audited.
            await audit_refusal(request, principal)
            raise HTTPException(
                403, f"権限がありません / requires one of the roles: {', '.join(roles)}"
            )
        return principal

    return check
