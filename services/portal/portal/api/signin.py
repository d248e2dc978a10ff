"""サインイン / サインアウト through the identity provider (kasane.web.oidc_login), keeping
the user's tokens so pages can call the services as that user."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request
from fastapi.responses import HTMLResponse

from kasane.web.oidc_login import SignInPages, TokenSet, sign_in_router
from portal.api.templating import render
from portal.store.tokens import TokenStore
from portal.usecases import tokens


def _error_page(message: str, status: int) -> HTMLResponse:
    # No request here (the sign-in router's contract): a page without the menu.
    from portal.api.templating import SECURITY_HEADERS, environment

    page = environment.get_template("error.html").render(
        session=None, menu=[], title="サインインできません", message=message, path=""
    )
    return HTMLResponse(page, status_code=status, headers=SECURITY_HEADERS)


async def _keep_tokens(request: Request, secret: str, token_set: TokenSet) -> None:
    await tokens.keep(TokenStore(request.app.state.pool), secret, token_set, datetime.now(UTC))


router = sign_in_router(
    SignInPages(prefix="/auth", home="/", error_page=_error_page, on_signed_in=_keep_tokens)
)


def signed_out_page(request: Request, return_to: str) -> HTMLResponse:
    return render(
        request,
        "signed_out.html",
        {"title": "サインイン", "return_to": return_to},
        status=401,
    )
