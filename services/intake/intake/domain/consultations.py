"""Intake rules with no I/O: what a valid consultation is, and what it implies."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from intake.domain.persons import HouseholdProfile
from intake.domain.vocab import Urgency
from kasane.clock import JST
from kasane.errors import Conflict, Forbidden
from kasane.events.intake import CaseClassified, CaseEscalated, ConsultationReceived
from kasane.events.types import Program
from kasane.reference.agencies import consultation_agencies
from kasane.reference.enumerations import is_valid
from kasane.reference.issue_codes import is_complex
from kasane.types import (
    AgeBandCode,
    IsoDatetime,
    IssueCodes,
    SchoolDistrictCode,
    Text,
    future_reason,
    not_future_datetime,
)


class BetweenSystems(BaseModel):
    """制度の狭間: staff mark that no existing window fits, and say why."""

    model_config = ConfigDict(extra="forbid")

    flag: bool
    reason: Text | None = Field(default=None, max_length=2000, validate_default=True)

    @field_validator("reason")
    @classmethod
    def _reason_when_flagged(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("flag") and not (value and value.strip()):
            raise ValueError("制度の狭間には理由が必要 / a reason is required when flagged")
        return value


class ConsultationIn(BaseModel):
    """相談受付: what staff submit. The agency comes from the token."""

    model_config = ConfigDict(extra="forbid")

    received_at: IsoDatetime
    issue_codes: IssueCodes = Field(min_length=1, max_length=18)
    age_band: AgeBandCode
    school_district_code: SchoolDistrictCode
    channel: str
    # Without case_id a new case is opened (for household_id, if given).
    case_id: UUID | None = None
    household_id: UUID | None = None
    person_id: UUID | None = None
    consulted_by: str | None = None
    urgency: Urgency = "normal"
    narrative: Text | None = Field(default=None, max_length=8000)  # personal: stays here
    outcome: str | None = None
    between_systems: BetweenSystems | None = None
    concern_id: UUID | None = None  # taking a 見守りネットワーク concern from the queue

    @field_validator("consulted_by")
    @classmethod
    def _known_consulted_by(cls, value: str | None) -> str | None:
        if value is not None and not is_valid("consulted_by", value):
            raise ValueError(f"未知の相談者区分 / unknown consulted_by: {value}")
        return value

    @field_validator("outcome")
    @classmethod
    def _known_outcome(cls, value: str | None) -> str | None:
        if value is not None and not is_valid("consultation_outcomes", value):
            raise ValueError(f"未知の対応結果 / unknown outcome: {value}")
        return value

    @property
    def is_between_systems(self) -> bool:
        return bool(self.between_systems and self.between_systems.flag)

    @field_validator("received_at")
    @classmethod
    def _not_in_future(cls, value: datetime) -> datetime:
        # Staff enter local (Japan) time: a naive value is read as JST.
        return not_future_datetime(value, future_reason("受付日時", "received_at"))

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, value: str) -> str:
        if not is_valid("channels", value):
            raise ValueError(f"未知の受付経路 / unknown channel: {value}")
        return value


# 対応結果 → the program a case is escalated to (CaseEscalated).
ESCALATIONS: dict[str, Program] = {
    "to_multiagency": "multiagency",
    "to_outreach": "outreach",
    "to_participation": "participation",
}


def consultation_received(
    consultation_id: UUID,
    agency_id: str,
    data: ConsultationIn,
    case_id: UUID | None = None,
    household: HouseholdProfile | None = None,
) -> ConsultationReceived:
    return ConsultationReceived(
        consultation_id=consultation_id,
        case_id=case_id,
        agency_id=agency_id,
        received_at=data.received_at,
        channel=data.channel,
        issue_codes=data.issue_codes,
        age_band=data.age_band,
        school_district_code=data.school_district_code,
        is_complex=is_complex(data.issue_codes),
        consulted_by=data.consulted_by,
        urgency=data.urgency,
        between_systems=data.is_between_systems,
        outcome=data.outcome,
        concern_id=data.concern_id,
        household_situations=household.situations if household is not None else None,
        household_size_band=household.size_band if household is not None else None,
    )


def merged_issue_codes(existing: list[str], new: list[str]) -> list[str]:
    """A case's issues: every code any of its consultations named, in first-seen order."""
    return list(dict.fromkeys([*existing, *new]))


def ensure_consultation_agency(agency_id: str) -> None:
    """相談受付 is the consultation agencies' (包括的相談支援の窓口) work."""
    if agency_id not in {a.id for a in consultation_agencies()}:
        raise Forbidden(
            "agency", "相談受付は相談支援機関のみ / only consultation agencies accept consultations"
        )


def ensure_concern_taken(taken: bool) -> None:
    """A 見守りネットワーク concern is taken once, from the taking agency's own queue."""
    if not taken:
        raise Conflict(
            "concern_id", "この見守り通報は受付待ちにありません / not pending in your queue"
        )


def reclassified(case_id: UUID, existing: list[str], data: ConsultationIn) -> CaseClassified | None:
    """The case's new classification, if this consultation changes it."""
    codes = merged_issue_codes(existing, data.issue_codes)
    if codes == existing and not data.is_between_systems:
        return None
    return CaseClassified(
        case_id=case_id,
        issue_codes=codes,
        is_complex=is_complex(codes),
        between_systems=data.is_between_systems,
    )


def escalation(case_id: UUID, agency_id: str, data: ConsultationIn) -> CaseEscalated | None:
    """The program the 対応結果 hands the case to, if any."""
    program = ESCALATIONS.get(data.outcome or "")
    if program is None:
        return None
    return CaseEscalated(
        case_id=case_id,
        program=program,
        reason_codes=data.issue_codes,
        escalated_on=data.received_at.astimezone(JST).date(),
        by_agency_id=agency_id,
    )
