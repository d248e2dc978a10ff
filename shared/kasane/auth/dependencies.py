"""FastAPI dependencies: ``Depends(authenticated)`` and ``Depends(require_roles(...))``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kasane.auth.issuers import Verifier
from kasane.auth.principal import Principal
from kasane.auth.tokens import InvalidToken

_bearer = HTTPBearer(
    auto_error=False, description="JWT of a trusted issuer (city key or OIDC provider)"
)

_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(401, "認証が必要です / bearer token required", _UNAUTHORIZED)
    verifier: Verifier = request.app.state.token_verifier
    try:
        return verifier.verify(credentials.credentials)
    except InvalidToken as exc:
        raise HTTPException(
            401, f"無効なトークンです / invalid token: {exc}", _UNAUTHORIZED
        ) from exc


def require_roles(*roles: str) -> Callable[[Principal], Principal]:
    def check(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if not principal.has_any(*roles):
            raise HTTPException(
                403, f"権限がありません / requires one of the roles: {', '.join(roles)}"
            )
        return principal

    return check
