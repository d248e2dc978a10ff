"""本人同意 (consent): the request model. Validity and scope are ``kasane.consent``'s, the
one meaning shared with referral and meetings."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kasane.errors import Conflict, Invalid
from kasane.events.types import ConsentMethod, MeetingType, Program
from kasane.reference.partners import new_work_refusal
from kasane.types import IsoDate, not_future


class ConsentScope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agencies: list[str] = Field(default_factory=list, max_length=50)
    programs: list[Program] = Field(default_factory=list)
    meeting_types: list[MeetingType] = Field(default_factory=list)

    @field_validator("agencies")
    @classmethod
    def _known_parties(cls, value: list[str]) -> list[str]:
        # A consent may name an agency or an active 連携機関 (a referral or a 支援会議 seat
        # to it rests on this consent); an inactive partner takes no new work, and an
        # unknown id would silently share with nobody (docs/architecture/partners.md).
        refusals = [r for r in (new_work_refusal(a) for a in sorted(set(value))) if r]
        if refusals:
            raise ValueError("; ".join(refusals))
        return sorted(set(value))

    @model_validator(mode="after")
    def _not_empty(self) -> ConsentScope:
        if not (self.agencies or self.programs or self.meeting_types):
            raise ValueError("同意の範囲が空です / the scope names nothing")
        return self


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: UUID
    scope: ConsentScope
    method: ConsentMethod
    consented_on: IsoDate
    expires_on: IsoDate | None = None

    @field_validator("consented_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        return not_future(value, "同意日が未来です / the consent date is in the future")

    @field_validator("expires_on")
    @classmethod
    def _after_consent(cls, value: date | None, info: ValidationInfo) -> date | None:
        consented = info.data.get("consented_on")
        if value is not None and consented is not None and value <= consented:
            raise ValueError("有効期限は同意日より後 / expires_on must be after consented_on")
        return value


def ensure_member(person_id: UUID, persons_of_case: set[UUID]) -> None:
    """Consent is given by a person of the case: its primary person or a household member."""
    if person_id not in persons_of_case:
        raise Invalid("person_id", "このケースの世帯員ではありません / not a member of the case")


def check_withdrawal(
    withdrawn_already: date | None, consented_on: date, withdrawn_on: date
) -> None:
    if withdrawn_already is not None:
        raise Conflict("consent_id", "既に撤回されています / already withdrawn")
    if withdrawn_on < consented_on:
        raise Invalid("withdrawn_on", "撤回日が同意日より前 / before consented_on")
