"""ASGI entry point: ``uvicorn portal.app:app`` — the staff portal (窓口ポータル), port 8100.

A backend-for-frontend (docs/architecture/portal.md): it renders Japanese pages on the
server and calls the seven services' APIs with the signed-in user's own token. Its
database holds sessions and sealed tokens only; it publishes and consumes no events, so
unlike the services it starts no producer, relay, sealer or subscriber.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from kasane.auth.issuers import build_token_verifier
from kasane.reference import preload_reference, reference_version
from kasane.settings import get_settings
from kasane.web import access_log
from kasane.web.admission import bounded_pool
from kasane.web.app import public_key, service_dsn
from portal.api import access_log as access_log_page
from portal.api import (
    cases,
    city,
    community,
    consult,
    errors,
    home,
    meeting_agenda,
    meeting_plans,
    meetings,
    outreach,
    participation,
    partner_case,
    referrals,
    signin,
)
from portal.store.services import Services

NAME = "portal"
STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    app.state.settings = settings
    preload_reference()  # a broken imported reference version stops the boot
    # Verifies the access token at sign-in, exactly as the services will on every call.
    app.state.token_verifier = build_token_verifier(settings, public_key(settings))
    app.state.pool = pool = await bounded_pool(service_dsn(NAME, settings), settings)
    if not (STATIC / "vendor" / "dds-tokens.css").exists():
        log.warning("design tokens missing from %s: run `make install`", STATIC / "vendor")
    # Pages ask several services at once; one pool of connections per service host.
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)
    async with httpx.AsyncClient(timeout=10.0, limits=limits) as client:
        app.state.services = Services(settings, client)
        try:
            yield
        finally:
            await pool.close()


def create_portal() -> FastAPI:
    access_log.install()  # no query strings (search criteria) in the access log
    # The portal's pages are for people; the services document the API.
    app = FastAPI(
        title="kasane portal 窓口ポータル",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    errors.install(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        # The reference version the portal prints names from (as every service reports it).
        found = {"service": NAME, "reference_version": reference_version()}
        try:
            await app.state.pool.fetchval("SELECT 1")
        except Exception as exc:  # health must answer, not raise
            return JSONResponse({"status": "down", **found, "error": str(exc)}, 503)
        return JSONResponse({"status": "ok", **found})

    app.include_router(signin.router)
    app.include_router(home.router)
    app.include_router(outreach.router)
    app.include_router(participation.router)
    app.include_router(consult.router)
    app.include_router(cases.router)
    app.include_router(referrals.router)
    app.include_router(partner_case.router)  # GET /referrals/{id}/case (連携機関)
    app.include_router(access_log_page.router)
    app.include_router(city.router)
    app.include_router(community.router)
    app.include_router(meeting_plans.router)  # before meetings: /meetings/{meeting_id}
    app.include_router(meeting_agenda.router)  # before meetings: /meetings/agenda
    app.include_router(meetings.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


app = create_portal()
