"""The case summary a 連携機関's staff read from a referral addressed to them (read-only).

Partners only (``navigation.reads_referred_cases``); case workers keep their case screens.
Intake answers with the partner's token: the case level, or its refusal (403: the
organisation may not hold case access; 404: the referral no longer gives access), which the
page shows in the service's own Japanese words.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from portal.api.deps import PartnerStaff, ServicesDep
from portal.api.errors import error_page
from portal.api.templating import render
from portal.domain import partner_case as rules
from portal.usecases import partner_case as usecase

router = APIRouter(include_in_schema=False)


@router.get("/referrals/{referral_id}/case", response_class=HTMLResponse)
async def referred_case(
    request: Request, referral_id: UUID, staff: PartnerStaff, services: ServicesDep
) -> HTMLResponse:
    found = await usecase.read(services, staff.token, referral_id)
    if found.case is None:  # the referral itself: missing or not addressed to this partner
        gone = "この記録は存在しないか、閲覧できません。"
        return error_page(request, "見つかりません", gone, 404)
    context: dict[str, object] = {"title": "ケースの概要", "referral": found.referral.body}
    if found.case.ok and isinstance(found.case.body, dict):
        context["case"] = rules.summary(found.case.body)
        return render(request, "partners/case.html", context, session=staff.session)
    status = found.case.status if found.case.status in (403, 404) else 502
    context["refusal"] = rules.refusal(found.case.body)
    return render(request, "partners/case.html", context, status=status, session=staff.session)
