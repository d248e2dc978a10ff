"""referral's events as facts: subject = the referral, at = the instant it was entered
(response times are measured between instants). A request and an acceptance are dated by the
day they happened (``requested_on``, ``accepted_on``: work entered after the fact counts in
its own 年度); the other transitions by their instant in JST."""

from __future__ import annotations

from indicators.domain.facts.fact import Fact, jst_date, rules
from kasane.events import referral as events
from kasane.events.envelope import Envelope


@rules.to_fact(events.ReferralRequested)
def referral_requested(envelope: Envelope, event: events.ReferralRequested) -> Fact:
    """agency = from, other agency = to, program = the receiving program, kind = the legal
    basis, codes = the reasons, due_on = the answer's due date."""
    return Fact.of(
        envelope,
        on_date=event.requested_on,
        subject_id=event.referral_id,
        case_id=event.case_id,
        agency_id=event.from_agency_id,
        other_agency_id=event.to_agency_id,
        program=event.to_program,
        kind=event.legal_basis,
        codes=tuple(event.reason_codes),
        at=event.requested_at,
        due_on=event.due_on,
    )


@rules.to_fact(events.ReferralAccepted)
def referral_accepted(envelope: Envelope, event: events.ReferralAccepted) -> Fact:
    """agency = the accepting agency."""
    return Fact.of(
        envelope,
        on_date=event.accepted_on,
        subject_id=event.referral_id,
        case_id=event.case_id,
        agency_id=event.by_agency_id,
        at=event.accepted_at,
    )


@rules.to_fact(events.ReferralDeclined)
def referral_declined(envelope: Envelope, event: events.ReferralDeclined) -> Fact:
    """agency = the declining agency; code = its reason."""
    return Fact.of(
        envelope,
        on_date=jst_date(event.declined_at),
        subject_id=event.referral_id,
        case_id=event.case_id,
        agency_id=event.by_agency_id,
        code=event.reason_code,
        at=event.declined_at,
    )


@rules.to_fact(events.ReferralCompleted)
def referral_completed(envelope: Envelope, event: events.ReferralCompleted) -> Fact:
    """code = the outcome."""
    return Fact.of(
        envelope,
        on_date=jst_date(event.completed_at),
        subject_id=event.referral_id,
        case_id=event.case_id,
        code=event.outcome_code,
        at=event.completed_at,
    )


@rules.to_fact(events.ReferralRevoked)
def referral_revoked(envelope: Envelope, event: events.ReferralRevoked) -> Fact:
    """code = the reason for revoking."""
    return Fact.of(
        envelope,
        on_date=jst_date(event.revoked_at),
        subject_id=event.referral_id,
        case_id=event.case_id,
        code=event.reason_code,
        at=event.revoked_at,
    )
