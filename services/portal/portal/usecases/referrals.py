"""つなぎ: the service calls behind the referral screens and the case page's section.

Every read goes to referral (or intake) with the staff member's own token, so each is
audited there; nothing is kept here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from portal.store.services import Answer, ServiceDown, Services


@dataclass
class CaseReferrals:
    """The case page's つなぎ section: the case's referrals I may see, newest first."""

    case_id: str
    items: list[dict[str, Any]] = field(default_factory=list)
    unavailable: bool = False  # referral did not answer: the section says so, the page stays


async def case_referrals(services: Services, token: str, case_id: UUID | str) -> CaseReferrals:
    """For the case page (`/cases/{id}`): include ``referrals/_case_section.html`` with
    ``case_referrals`` set to this value."""
    try:
        answer = await services.get(
            token, "referral", "/referrals", case_id=str(case_id), limit=100
        )
    except ServiceDown:
        return CaseReferrals(str(case_id), unavailable=True)
    if not answer.ok or not isinstance(answer.body, dict):
        return CaseReferrals(str(case_id), unavailable=True)
    return CaseReferrals(str(case_id), items=list(answer.body.get("items", [])))


async def case_for_referral(services: Services, token: str, case_id: UUID) -> Answer:
    """The case (its consents, consultations' issue codes) the new-referral form starts from."""
    return await services.get(token, "intake", f"/cases/{case_id}")


async def send(
    services: Services, token: str, case_id: UUID, body: dict[str, Any], idempotency_key: str
) -> Answer:
    return await services.call(
        token,
        "referral",
        "POST",
        "/referrals",
        json={"case_id": str(case_id), **body},
        headers={"Idempotency-Key": idempotency_key} if idempotency_key else None,
    )


async def received(services: Services, token: str) -> Answer:
    """Referrals to my organisation (an agency's, or a 連携機関's), newest first."""
    try:
        return await services.get(token, "referral", "/referrals", direction="received", limit=200)
    except ServiceDown:
        return Answer(503, None)


async def read(services: Services, token: str, referral_id: UUID) -> Answer:
    return await services.get(token, "referral", f"/referrals/{referral_id}")


ACTIONS = frozenset({"accept", "decline", "complete", "revoke"})


async def decide(
    services: Services,
    token: str,
    referral_id: UUID,
    action: str,
    body: dict[str, Any] | None,
    idempotency_key: str,
) -> Answer:
    if action not in ACTIONS:
        raise ValueError(action)
    return await services.call(
        token,
        "referral",
        "POST",
        f"/referrals/{referral_id}/{action}",
        json=body,
        headers={"Idempotency-Key": idempotency_key} if idempotency_key else None,
    )
