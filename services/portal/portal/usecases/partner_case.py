"""A 連携機関's case summary: the referral (referral service), then its case (intake), both
read with the partner's own token so each service decides and audits the read itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from portal.store.services import Answer, Services


@dataclass(frozen=True)
class ReferredCase:
    referral: Answer
    case: Answer | None  # None: the referral was refused, intake was not asked


async def read(services: Services, token: str, referral_id: UUID) -> ReferredCase:
    referral = await services.get(token, "referral", f"/referrals/{referral_id}")
    if not referral.ok or not isinstance(referral.body, dict):
        return ReferredCase(referral, None)
    body: dict[str, Any] = referral.body
    case = await services.get(token, "intake", f"/cases/{body['case_id']}")
    return ReferredCase(referral, case)
