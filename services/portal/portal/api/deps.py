"""Who is asking, and with what token: every page's dependencies.

``Staff`` is a signed-in user with a fresh access token for the services. Without a session
a page redirects to sign-in and comes back (GET), or answers 401 (forms: the CSRF token
could not be checked anyway). Every form carries the session's CSRF token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from kasane.auth.principal import Principal
from kasane.web.oidc_login import current_session, oidc_login
from kasane.web.sessions import SESSION_COOKIE, WebSession
from portal.domain import navigation
from portal.domain.navigation import Screen
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


class Refused(Exception):
    """A signed-in user on a screen their agency and role may not use: the screen's 403 page
    (``portal.api.errors``), drawn with their own menu. Nothing is asked of a service, so
    nothing is read."""

    def __init__(self, staff: Staff, screen: Screen) -> None:
        super().__init__(screen.path)
        self.staff, self.screen = staff, screen


def require(path: str) -> Callable[..., Awaitable[Staff]]:
    """A route's guard: the menu's rule for the screen at ``path`` (one rule for the link and
    the page), e.g. ``MeetingsStaff = Annotated[Staff, Depends(require("/meetings"))]``."""
    guarded = navigation.screen(path)  # at import: a guard naming no screen fails at once

    async def guard(staff: Annotated[Staff, Depends(signed_in)]) -> Staff:
        if not guarded.allowed(staff.principal):
            raise Refused(staff, guarded)
        return staff

    return guard


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


# One guard per screen rule of the menu (``portal.domain.navigation.SCREENS``): a route takes
# the one of its screen instead of ``SignedIn``, and anyone else gets that screen's 403 page.
Searcher = Annotated[Staff, Depends(require("/persons/search"))]  # 本人検索
Window = Annotated[Staff, Depends(require("/consultations/new"))]  # 相談受付
CaseStaff = Annotated[Staff, Depends(require("/cases"))]  # case work (referrals, 議題に追加)
# Reading and answering a referral: case workers, and a 連携機関's staff (its own only).
ReferralStaff = Annotated[Staff, Depends(require("/referrals"))]
# A 連携機関's staff reading the case summary of a referral to them (intake decides the rest).
PartnerStaff = Annotated[Staff, Depends(require("/referrals/{referral_id}/case"))]
OutreachStaff = Annotated[Staff, Depends(require("/outreach"))]
ParticipationStaff = Annotated[Staff, Depends(require("/participation"))]
MeetingsStaff = Annotated[Staff, Depends(require("/meetings"))]  # 社協 (多機関協働)
# The four 地域づくり screens share one rule (works_community): any of them names it.
CommunityStaff = Annotated[Staff, Depends(require("/community/watch-visits"))]
ActivityReporter = Annotated[Staff, Depends(require("/community/activity"))]
CityStaff = Annotated[Staff, Depends(require("/city"))]
Auditor = Annotated[Staff, Depends(require("/access-log"))]  # 開示請求
