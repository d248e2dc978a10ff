"""連携機関の一覧 (directory): the partner organisations a referral may go to.

Organisation data only (name, kind, 運営形態, the organisation's own contact), so every
signed-in member of staff may read it, partners included; nothing here is audited because
nothing here is about a person. The list is the reference data (``kasane.reference.partners``),
so a partner the city adds appears without a release.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from kasane.auth.roles import AnyStaff
from kasane.reference.enumerations import labels
from kasane.reference.partners import Partner, active_partners, all_partners

router = APIRouter(prefix="/partners", tags=["連携機関 partners"])


class ContactOut(BaseModel):
    phone: str
    address: str


class PartnerOut(BaseModel):
    id: str
    name_ja: str
    kind: str
    kind_label: str
    operation: str
    operation_label: str
    contact: ContactOut
    # False: a referral to it hands over only what the referral carries (reason codes, note).
    may_hold_case_access: bool
    active: bool

    @classmethod
    def of(cls, partner: Partner) -> PartnerOut:
        return cls(
            id=partner.id,
            name_ja=partner.name_ja,
            kind=partner.kind,
            kind_label=labels("partner_kinds")[partner.kind],
            operation=partner.operation,
            operation_label=labels("partner_operations")[partner.operation],
            contact=ContactOut(phone=partner.contact.phone, address=partner.contact.address),
            may_hold_case_access=partner.may_hold_case_access,
            active=partner.active,
        )


@router.get("")
async def list_partners(
    principal: AnyStaff,
    include_inactive: Annotated[
        bool, Query(description="活動を終えた連携機関も含める / also partners no longer active")
    ] = False,
) -> list[PartnerOut]:
    found = all_partners() if include_inactive else active_partners()
    return [PartnerOut.of(p) for p in found]
