"""Participants (参加者), plans and steps: request bodies and rules, no I/O.

enrolled → plan_submitted (PlanSubmitted) → active (meetings.PlanApproved) → ended;
a returned plan goes back to enrolled; a revoked referral ends it as ``revoked``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Final, Literal, Protocol, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kasane.errors import Conflict, Forbidden, Invalid, NotFound
from kasane.occurrence import occurrence_date
from kasane.reference.agencies import operators_of
from kasane.types import AgeBandCode, IsoDate, SchoolDistrictCode, Text
from participation.domain import codes

Status = Literal["enrolled", "plan_submitted", "active", "ended", "revoked"]

# A participant enrolled from a referral gets an id derived from it, so a rebuild from
# offset 0 gives the same ids.
_PARTICIPANT_NS: Final = UUID("5a3f0a52-7d0e-4a8e-9a51-6b1f4c2d9e01")
NOT_FOUND: Final = "参加者が見つかりません / participant not found"


@cache
def operators() -> frozenset[str]:
    """The agencies running 参加支援事業 (株式会社アソウ・ヒューマニーセンター), from the
    agency table: the one place that says who operates which service."""
    return frozenset(a.id for a in operators_of("participation"))


def operator() -> str:
    """The agency acting for the service itself (automatic enrolment, revocation)."""
    (only,) = operators()
    return only


def participant_id_for(referral_id: UUID) -> UUID:
    return uuid.uuid5(_PARTICIPANT_NS, str(referral_id))


class Body(BaseModel):
    """A request body: unknown fields are refused, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ProfileFields(Body):
    """What matching needs: an age band (never a birth date) and the home 校区."""

    age_band: AgeBandCode | None = None
    school_district_code: SchoolDistrictCode | None = None


class EnrolIn(ProfileFields):
    """POST /participants: from an accepted referral, or from a meeting decision."""

    referral_id: UUID | None = None
    meeting_decision_id: UUID | None = None
    case_id: UUID | None = None
    # The day the participation began, when entered afterwards (default today): decides
    # the 年度. Not in the future, not before the referral it rests on was made.
    started_on: IsoDate | None = None

    @model_validator(mode="after")
    def _one_basis(self) -> EnrolIn:
        if (self.referral_id is None) == (self.meeting_decision_id is None):
            raise ValueError(
                "つなぎか会議の決定のどちらか一方 / give exactly one of referral_id, "
                "meeting_decision_id"
            )
        if self.meeting_decision_id is not None and self.case_id is None:
            raise ValueError("会議の決定にはケースIDが必要 / meeting_decision_id needs case_id")
        if self.referral_id is not None and self.case_id is not None:
            raise ValueError("ケースIDはつなぎから決まります / case_id comes from the referral")
        return self


def _known_stage(value: str) -> str:
    if value not in codes.STAGES:
        raise ValueError(f"未知の段階 / unknown stage: {value}")
    return value


class PlannedStep(Body):
    stage: str
    note: Text | None = Field(default=None, max_length=1000)

    _stage = field_validator("stage")(_known_stage)


class PlanIn(Body):
    """参加支援プラン: the person's wishes, goals and steps (personal: audited, never published)."""

    wishes: Text = Field(min_length=1, max_length=4000)
    goals: Text = Field(min_length=1, max_length=4000)
    steps: list[PlannedStep] = Field(min_length=1, max_length=20)
    review_on: IsoDate | None = None


class StepIn(Body):
    stage: str
    reached_on: IsoDate
    note: Text | None = Field(default=None, max_length=2000)

    _stage = field_validator("stage")(_known_stage)


class EndIn(Body):
    ended_on: IsoDate
    outcome_code: str

    @field_validator("outcome_code")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in codes.PARTICIPATION_OUTCOMES:
            raise ValueError(f"未知の結果コード / unknown outcome code: {value}")
        return value


@dataclass(frozen=True)
class Access:
    """Who may see a participant: アソウ, and the agency that referred the person."""

    status: Status
    referring_agency_id: str | None


def can_see(agency: str, access: Access) -> bool:
    if access.status == "revoked":
        return False  # its basis is gone: no one reads the content any more
    return agency in operators() or agency == access.referring_agency_id


def check_operator(agency: str) -> None:
    if agency not in operators():
        raise Forbidden(
            "agency",
            "参加支援事業者のみ変更できます / only the participation operator may change this",
        )


_WHAT_JA: Final[dict[str, str]] = {
    "plan": "プラン提出",
    "place": "受け入れ開始",
    "step": "段階の記録",
    "end": "終了",
}
_ALLOWED: Final[dict[str, tuple[Status, ...]]] = {
    "plan": ("enrolled",),
    "place": ("active",),
    "step": ("enrolled", "plan_submitted", "active"),
    "end": ("enrolled", "plan_submitted", "active"),
}


def check_status(what: Literal["plan", "place", "step", "end"], status: Status) -> None:
    if status not in _ALLOWED[what]:
        raise Conflict(
            "status",
            f"現在の状態（{status}）では{_WHAT_JA[what]}できません / "
            f"cannot {what} while the participant is {status}",
        )


def check_no_open_placements(open_placements: int) -> None:
    if open_placements:
        raise Conflict(
            "placements",
            f"継続中の受け入れが{open_placements}件あります。先に終了してください / "
            f"end the {open_placements} open placement(s) first",
        )


def check_not_before(day: date, start: date, field: str) -> None:
    if day < start:
        raise Invalid(field, f"開始日（{start}）より前です / before the start ({start})")


def check_referral_accepted(status: str | None) -> None:
    """Enrolment by hand rests on a referral アソウ has accepted (None: unknown to us)."""
    if status is None:
        raise NotFound("referral_id", "つなぎが見つかりません / referral not found")
    if status != "accepted":
        raise Conflict(
            "referral_id",
            f"受理されたつなぎではありません（{status}） / the referral is {status}, not accepted",
        )


def enrolment_day(given: date | None, today: date, referral_made_on: date | None) -> date:
    """The day the participation began: not in the future, not before its referral."""
    return occurrence_date(
        given,
        today=today,
        field="started_on",
        what_ja="参加開始日",
        not_before=referral_made_on,
        before_ja="つなぎの依頼日",
    )


def check_not_enrolled(already: bool) -> None:
    if already:
        raise Conflict("referral_id", "このつなぎは登録済みです / already enrolled from it")


def current_stage(stages_in_order: list[str]) -> str | None:
    """The highest rung reached so far (steps may be recorded out of ladder order)."""
    ladder = list(codes.STAGES)
    reached = [s for s in stages_in_order if s in ladder]
    return max(reached, key=ladder.index) if reached else None


class HasAccess(Protocol):
    @property
    def access(self) -> Access: ...


R = TypeVar("R", bound=HasAccess)


def visible_to(agency: str, record: R | None) -> R:
    """The record, if ``agency`` may see it. Unknown and not-yours answer alike (404): a
    caller learns nothing of others' records."""
    if record is None or not can_see(agency, record.access):
        raise NotFound("participant_id", NOT_FOUND)
    return record
