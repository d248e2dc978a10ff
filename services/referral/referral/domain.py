"""Referral (つなぎ) rules with no I/O: the request, its legal basis, who may do what.

States: requested → accepted | declined; accepted → completed; requested | accepted →
revoked. Declined, completed and revoked are final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kasane.business_days import add_business_days
from kasane.consent import Consent, newest
from kasane.events.types import Program
from kasane.reference.agencies import ServiceName, is_known_agency, operators_of
from kasane.reference.issue_codes import is_valid_issue_code
from kasane.types import Text
from kasane.web.errors import Refused
from referral import codes

Status = Literal["requested", "accepted", "declined", "completed", "revoked"]
Action = Literal["accept", "decline", "complete", "revoke"]
OPEN_STATUSES: Final[tuple[Status, ...]] = ("requested", "accepted")

# Which deployment runs each program; its operator receives referrals into the program.
_PROGRAM_SERVICE: Final[dict[str, ServiceName]] = {
    "participation": "participation",
    "outreach": "outreach",
    "multiagency": "meetings",
}

_FROM: Final[dict[Action, tuple[Status, ...]]] = {
    "accept": ("requested",),
    "decline": ("requested",),
    "complete": ("accepted",),
    "revoke": OPEN_STATUSES,
}
_TO: Final[dict[Action, Status]] = {
    "accept": "accepted",
    "decline": "declined",
    "complete": "completed",
    "revoke": "revoked",
}
_ACTION_JA: Final[dict[Action, str]] = {
    "accept": "受理",
    "decline": "辞退",
    "complete": "完了",
    "revoke": "取消",
}


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

    @field_validator("to_agency")
    @classmethod
    def _known_agency(cls, value: str | None) -> str | None:
        if value is not None and not is_known_agency(value):
            raise ValueError(f"未知の機関 / unknown agency: {value}")
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


@dataclass(frozen=True)
class MeetingDecision:
    """What referral learned of a meeting decision (meetings.CaseDiscussed)."""

    decision_id: UUID
    case_id: UUID
    meeting_id: UUID
    meeting_type: str
    outcome: str
    decided_on: date
    member_agency_ids: frozenset[str]
    access_until: date | None


# Decisions that let the members act on the case together (法106条の6: 支援会議 で共有した
# 情報に基づく支援). watch / urgent_action keep the case with the members already on it.
SHARING_OUTCOMES: Final = frozenset({"share", "escalate"})


def decision_problem(
    decision: MeetingDecision | None, case_id: UUID, receiver: str, on: date
) -> str | None:
    """Why ``decision`` does not let the case go to ``receiver`` on ``on`` (None: it does)."""
    if decision is None:
        # Decisions arrive as events: one recorded seconds ago may not be here yet.
        return (
            "支援会議の決定が見つかりません（記録直後なら数秒後に再試行） / no such meeting "
            "decision (if just recorded, retry in a few seconds)"
        )
    if decision.case_id != case_id:
        return "この決定は別のケースのものです / the decision is about another case"
    if decision.meeting_type != "support_meeting":
        return "支援会議の決定ではありません / not a 支援会議 decision"
    if decision.outcome not in SHARING_OUTCOMES:
        return (
            f"決定（{decision.outcome}）はつなぎの根拠になりません / "
            f"the outcome {decision.outcome} is not share or escalate"
        )
    if receiver not in decision.member_agency_ids:
        return (
            "つなぎ先は誓約した参加機関ではありません / the receiver was not a pledged "
            "member of that meeting"
        )
    if decision.access_until is not None and on > decision.access_until:
        return (
            f"支援会議での共有期間が終わっています / the meeting's sharing ended on "
            f"{decision.access_until}"
        )
    return None


@dataclass(frozen=True)
class LegalBasis:
    legal_basis: Literal["consent", "support_meeting"]
    consent_id: UUID | None = None
    support_meeting_decision_id: UUID | None = None


@dataclass(frozen=True)
class Parties:
    """The agencies a referral involves (all fixed when it is requested)."""

    owner: str
    sender: str
    receiver: str
    status: Status


def program_operator(program: str) -> str:
    operators = operators_of(_PROGRAM_SERVICE[program])
    if len(operators) != 1:  # reference data, not input: a broken table is a bug
        raise RuntimeError(f"program {program} must have exactly one operator")
    return operators[0].id


def receiver_of(to_agency: str | None, to_program: str | None) -> str:
    if to_agency is not None:
        return to_agency
    assert to_program is not None  # ReferralIn guarantees one of the two
    return program_operator(to_program)


def check_not_self(sender: str, receiver: str) -> None:
    if sender == receiver:
        raise Refused(422, "to_agency", "自機関へはつなげません / cannot refer to your own agency")


def may_refer(agency: str, owner: str, accepted_receivers: set[str]) -> bool:
    """The owner refers; so may an agency that accepted a referral of the case (onward)."""
    return agency == owner or agency in accepted_receivers


def consent_covers(consent: Consent, receiver: str, to_program: str | None, on: date) -> bool:
    """A program referral needs the program in scope; an agency referral, the agency
    (validity and the meaning of scope are ``kasane.consent``'s)."""
    if to_program is not None:
        return consent.covers_program(to_program, on)
    return consent.covers_agency(receiver, on)


def consent_still_holds(
    consents: list[Consent], consent_id: UUID, receiver: str, to_program: str | None, on: date
) -> bool:
    """At acceptance: the consent the request rested on must still cover the receiver
    (it may have expired since the request; a withdrawal already revoked the referral)."""
    found = [c for c in consents if c.consent_id == consent_id]
    return bool(found) and consent_covers(found[0], receiver, to_program, on)


def choose_legal_basis(
    consents: list[Consent],
    receiver: str,
    to_program: str | None,
    support_meeting_decision_id: UUID | None,
    on: date,
    *,
    case_id: UUID,
    decision: MeetingDecision | None,
) -> LegalBasis:
    """A 支援会議 decision when staff name one (it must be a real one that covers the case
    and the receiver); else the newest consent covering the target."""
    if support_meeting_decision_id is not None:
        problem = decision_problem(decision, case_id, receiver, on)
        if problem is not None:
            raise Refused(409, "support_meeting_decision_id", problem)
        return LegalBasis(
            "support_meeting", support_meeting_decision_id=support_meeting_decision_id
        )
    found = newest(consents, lambda c: consent_covers(c, receiver, to_program, on))
    if found is None:
        raise Refused(
            409,
            "legal_basis",
            "つなぎ先を含む有効な本人同意も支援会議の決定もありません / no valid consent covering "
            "the receiver and no support meeting decision",
        )
    return LegalBasis("consent", consent_id=found.consent_id)


def due_on(requested_on: date, business_days: int) -> date:
    return add_business_days(requested_on, business_days)


def is_overdue(status: str, due: date, as_of: date) -> bool:
    return status == "requested" and as_of > due


def can_see(agency: str, parties: Parties) -> bool:
    """Sender, receiver and case owner; a revoked referral no longer opens to the receiver."""
    if agency in (parties.sender, parties.owner):
        return True
    return agency == parties.receiver and parties.status != "revoked"


def next_status(action: Action, current: Status) -> Status:
    if current not in _FROM[action]:
        label = codes.STATUSES[current]
        raise Refused(
            409,
            "status",
            f"「{label}」のつなぎは{_ACTION_JA[action]}できません / "
            f"cannot {action} a referral that is {current}",
        )
    return _TO[action]


def check_actor(action: Action, agency: str, roles: frozenset[str], parties: Parties) -> str | None:
    """Refuse an actor who may not take ``action``; for revoke, return the reason code."""
    if action != "revoke":
        if agency != parties.receiver:
            raise Refused(
                403,
                "agency",
                f"{_ACTION_JA[action]}はつなぎ先の機関のみ / "
                f"only the receiving agency may {action}",
            )
        return None
    if agency == parties.sender:
        return codes.REVOKE_BY_SENDER
    if "manager" in roles and agency in (parties.receiver, parties.owner):
        return codes.REVOKE_BY_MANAGER
    raise Refused(
        403,
        "agency",
        "取消は依頼元または管理者のみ / only the sender or a manager may revoke",
    )
