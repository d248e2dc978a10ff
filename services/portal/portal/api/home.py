"""ホーム: my queue, my open cases, referrals waiting for my answer; a 連携機関's staff see
the referrals addressed to their organisation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kasane.reference.enumerations import labels
from portal.api.deps import ServicesDep, SignedIn
from portal.api.templating import render
from portal.domain.labels import district_name, urgency_label
from portal.domain.navigation import is_partner
from portal.usecases import home as home_usecase

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, staff: SignedIn, services: ServicesDep) -> HTMLResponse:
    partner = is_partner(staff.principal)
    found = None if partner else await home_usecase.home(services, staff.token, staff.principal)
    context = {
        "title": "ホーム",
        "home": found,
        "partner_home": await home_usecase.partner_home(services, staff.token) if partner else None,
        "meeting_types": labels("meeting_types"),
        # intake's queue carries codes only: staff read the 校区's name and 至急/通常.
        "district_name": district_name,
        "urgency_label": urgency_label,
    }
    return render(request, "home.html", context, session=staff.session)
