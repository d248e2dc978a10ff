"""連携機関 (partner organisations): the network beyond the 23 agencies, as data the city keeps.

See docs/architecture/partners.md.

The city's plan works with 「記載している機関以外の機関も含んだ多機関連携」: ハローワーク,
居住支援団体, NPO・中間支援組織, 民生委員・児童委員, 医療機関, 学校, and whoever a case needs.
They are not agencies of the 重層的支援体制 (no intake, no programs, no figures of their own),
so they live in their own table (``partners.json``), read like every reference table, which
lets the city add one without a release.

- An ``id`` is a slug carried in tokens, referrals and meeting members: never reused, never
  the id of an agency. A partner that stops working with the city is ``active: false``,
  not removed, so old referrals still name it.
- ``contact`` is the organisation's own phone and address, never a person's.
- ``may_hold_case_access``: whether its staff may read the case itself (in intake, at the
  ``case`` level) while a referral to it lives (a ハローワーク working the case with
  consent: yes; a 民生委員 group asked to keep an eye on someone: no — it sees only what the
  referral or the meeting pack carries).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kasane.reference._resources import read_packaged_json
from kasane.reference.agencies import get_agency, is_known_agency
from kasane.reference.codes import AgencyKind, PartnerKind, PartnerOperation
from kasane.reference.errors import UnknownReferenceCodeError

# The kind a partner's id has wherever an agency kind is asked for (the token rule).
PARTNER_KIND: Final[AgencyKind] = "partner_organisation"
# The forms of an id and a phone number; `kasane reference import` checks rows against these.
PARTNER_ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{1,62}$"
PHONE_PATTERN: Final = r"^[0-9][0-9-]{8,14}$"
ADDRESS_MAX_LENGTH: Final = 200


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Contact(_Frozen):
    """The organisation's own 代表 contact (never a person's)."""

    phone: str = Field(pattern=PHONE_PATTERN)
    address: str = Field(min_length=1, max_length=ADDRESS_MAX_LENGTH)


class Partner(_Frozen):
    id: str = Field(pattern=PARTNER_ID_PATTERN)
    name_ja: str = Field(min_length=1, max_length=100)
    kind: PartnerKind  # enumerations.json partner_kinds
    operation: PartnerOperation  # 運営形態: enumerations.json partner_operations
    contact: Contact
    may_hold_case_access: bool
    active: bool
    note: str | None = None


class PartnerTable(_Frozen):
    source: str
    note: str
    partners: tuple[Partner, ...]

    @model_validator(mode="after")
    def _consistent(self) -> PartnerTable:
        ids = [p.id for p in self.partners]
        if len(ids) != len(set(ids)):
            raise ValueError("partner ids must be unique")
        # One id space for tokens, referrals and meeting members: a partner named like an
        # agency would inherit that agency's access.
        clashes = sorted(i for i in ids if is_known_agency(i))
        if clashes:
            raise ValueError(f"partner ids collide with agency ids: {', '.join(clashes)}")
        return self


@lru_cache(maxsize=1)
def _table() -> PartnerTable:
    return PartnerTable.model_validate(read_packaged_json("partners.json"))


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Partner]:
    return {p.id: p for p in _table().partners}


def all_partners() -> tuple[Partner, ...]:
    """Every partner ever listed, active or not (old records still name the inactive)."""
    return _table().partners


def active_partners() -> tuple[Partner, ...]:
    return tuple(p for p in _table().partners if p.active)


def is_known_partner(partner_id: str) -> bool:
    return partner_id in _by_id()


def get_partner(partner_id: str) -> Partner:
    try:
        return _by_id()[partner_id]
    except KeyError:
        raise UnknownReferenceCodeError(f"unknown partner id {partner_id!r}") from None


# Parties: agencies and partners together, where either may stand (a referral's target, a
# meeting member, a token's agency claim).


def is_known_party(party_id: str) -> bool:
    """An agency or a partner (active or not)."""
    return is_known_agency(party_id) or is_known_partner(party_id)


def party_kind(party_id: str) -> AgencyKind:
    """The agency's kind, or ``partner_organisation``; unknown ids raise."""
    if is_known_partner(party_id):
        return PARTNER_KIND
    return get_agency(party_id).kind


def party_name(party_id: str) -> str:
    """The Japanese name to print; an unknown id prints as itself (old records)."""
    if is_known_agency(party_id):
        return get_agency(party_id).name_ja
    if is_known_partner(party_id):
        return get_partner(party_id).name_ja
    return party_id


def party_may_hold_case_access(party_id: str) -> bool:
    """Agencies of the 体制 may (their access rules decide the rest); partners as listed."""
    if is_known_partner(party_id):
        return get_partner(party_id).may_hold_case_access
    return is_known_agency(party_id)


def new_work_refusal(party_id: str) -> str | None:
    """Why ``party_id`` cannot be given new work — a referral, a meeting seat, a pledge
    (日本語 / English, for a 4xx naming the field); None if it can."""
    if is_known_agency(party_id):
        return None
    if not is_known_partner(party_id):
        return f"未知の機関 / unknown agency or partner: {party_id}"
    if not get_partner(party_id).active:
        return f"活動を終えた連携機関です / the partner is no longer active: {party_id}"
    return None
