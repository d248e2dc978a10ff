"""What the referral API takes and returns (summary in lists, the note only in the detail)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kasane.events.types import Program
from kasane.reference.issue_codes import is_valid_issue_code
from kasane.reference.partners import new_work_refusal
from kasane.types import IsoDate, IsoDatetime, Text
from referral.domain import codes
from referral.domain.referrals import NewReferral, Referral, is_overdue


class ReferralIn(BaseModel):
    """POST /referrals. The sending agency comes from the token."""

    model_config = ConfigDict(extra="forbid")

    case_id: UUID
    to_agency: str | None = None
    to_program: Program | None = None
    reason_codes: list[str] = Field(min_length=1, max_length=18)
    support_meeting_decision_id: UUID | None = None
    # Free text for the receiver; personal, so it stays here and every read is audited.
    note: Text | None = Field(default=None, max_length=2000)
    # The day it was made, when entered afterwards (default today): decides the 年度.
    # Not in the future, not before the case opened (checked against the case).
    requested_on: IsoDate | None = None

    @field_validator("to_agency")
    @classmethod
    def _known_agency(cls, value: str | None) -> str | None:
        """An agency of the 体制, or an active 連携機関 (docs/architecture/partners.md)."""
        refusal = None if value is None else new_work_refusal(value)
        if refusal is not None:
            raise ValueError(refusal)
        return value

    @field_validator("reason_codes")
    @classmethod
    def _known_reasons(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if not is_valid_issue_code(c)]
        if unknown:
            raise ValueError(f"未知の課題コード / unknown reason code(s): {', '.join(unknown)}")
        if len(set(value)) != len(value):
            raise ValueError("つなぎの理由が重複しています / duplicate reason codes")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> ReferralIn:
        if (self.to_agency is None) == (self.to_program is None):
            raise ValueError(
                "つなぎ先は機関か事業のどちらか一方 / give exactly one of to_agency, to_program"
            )
        return self

    def to_domain(self) -> NewReferral:
        return NewReferral(
            case_id=self.case_id,
            to_agency=self.to_agency,
            to_program=self.to_program,
            reason_codes=tuple(self.reason_codes),
            support_meeting_decision_id=self.support_meeting_decision_id,
            note=self.note,
            requested_on=self.requested_on,
        )


class AcceptIn(BaseModel):
    """POST /referrals/{id}/accept (body optional)."""

    model_config = ConfigDict(extra="forbid")

    # The day it was accepted, when entered afterwards (default today); not in the future,
    # not before the referral was made.
    accepted_on: IsoDate | None = None


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_code: str

    @field_validator("reason_code")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in codes.DECLINE_REASONS:
            raise ValueError(f"未知の辞退理由 / unknown decline reason: {value}")
        return value


class CompleteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome_code: str

    @field_validator("outcome_code")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in codes.OUTCOMES:
            raise ValueError(f"未知の結果コード / unknown outcome code: {value}")
        return value


class ReferralCreated(BaseModel):
    referral_id: UUID
    status: str
    legal_basis: str
    consent_id: UUID | None
    support_meeting_decision_id: UUID | None
    requested_on: IsoDate
    due_on: IsoDate

    @classmethod
    def of(cls, referral: Referral) -> ReferralCreated:
        return cls.model_validate(asdict(referral))


class ReferralSummary(BaseModel):
    referral_id: UUID
    case_id: UUID
    from_agency_id: str
    to_agency_id: str | None
    to_program: str | None
    receiver_agency_id: str
    reason_codes: list[str]
    legal_basis: str
    consent_id: UUID | None
    support_meeting_decision_id: UUID | None
    status: str
    requested_at: IsoDatetime
    requested_on: IsoDate
    due_on: IsoDate
    overdue: bool
    decided_at: IsoDatetime | None
    accepted_on: IsoDate | None
    decline_reason_code: str | None
    completed_at: IsoDatetime | None
    outcome_code: str | None
    revoked_at: IsoDatetime | None
    revoke_reason_code: str | None


class ReferralDetail(ReferralSummary):
    note: str | None


class ReferralList(BaseModel):
    as_of: IsoDate
    items: list[ReferralSummary]


def _fields(referral: Referral, as_of: date) -> dict[str, object]:
    names = set(ReferralSummary.model_fields) - {"overdue"}
    values = asdict(referral)
    return {
        **{n: values[n] for n in names},
        "reason_codes": list(referral.reason_codes),
        "overdue": is_overdue(referral.status, referral.due_on, as_of),
    }


def summary(referral: Referral, as_of: date) -> ReferralSummary:
    return ReferralSummary.model_validate(_fields(referral, as_of))


def detail(referral: Referral, as_of: date) -> ReferralDetail:
    return ReferralDetail.model_validate({**_fields(referral, as_of), "note": referral.note})
