"""The legal basis of a referral, with no I/O: the person's consent (本人同意) or a 支援会議
decision (法106条の6), whichever lets the case go to the receiver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal
from uuid import UUID

from kasane.consent import Consent, newest
from kasane.errors import Conflict


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
            raise Conflict("support_meeting_decision_id", problem)
        return LegalBasis(
            "support_meeting", support_meeting_decision_id=support_meeting_decision_id
        )
    found = newest(consents, lambda c: consent_covers(c, receiver, to_program, on))
    if found is None:
        raise Conflict(
            "legal_basis",
            "つなぎ先を含む有効な本人同意も支援会議の決定もありません / no valid consent covering "
            "the receiver and no support meeting decision",
        )
    return LegalBasis("consent", consent_id=found.consent_id)
