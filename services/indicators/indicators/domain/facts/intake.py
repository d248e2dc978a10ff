"""intake's events as facts: subject = the case (or the consent), case_id = the case.

``intake.ConsultationReceived`` is not here: it has its own table (see ``NOT_COUNTED``).
"""

from __future__ import annotations

from indicators.domain.facts.fact import Fact, jst_date, rules
from kasane.events import intake as events
from kasane.events.envelope import Envelope


@rules.to_fact(events.CaseOpened)
def case_opened(envelope: Envelope, event: events.CaseOpened) -> Fact:
    """agency = the lead agency (主担当) that opened the case."""
    return Fact.of(
        envelope,
        on_date=event.opened_on,
        subject_id=event.case_id,
        case_id=event.case_id,
        agency_id=event.lead_agency_id,
    )


@rules.to_fact(events.CaseClassified)
def case_classified(envelope: Envelope, event: events.CaseClassified) -> Fact:
    """Dated by when it was classified (JST); codes = issue codes; the two flags as given."""
    return Fact.of(
        envelope,
        on_date=jst_date(envelope.occurred_at),
        subject_id=event.case_id,
        case_id=event.case_id,
        codes=tuple(event.issue_codes),
        is_complex=event.is_complex,
        between_systems=event.between_systems,
    )


@rules.to_fact(events.CaseEscalated)
def case_escalated(envelope: Envelope, event: events.CaseEscalated) -> Fact:
    """agency = the escalating agency; program = where to; code = the first reason, codes =
    every reason."""
    return Fact.of(
        envelope,
        on_date=event.escalated_on,
        subject_id=event.case_id,
        case_id=event.case_id,
        agency_id=event.by_agency_id,
        program=event.program,
        code=event.reason_codes[0],
        codes=tuple(event.reason_codes),
    )


@rules.to_fact(events.ConsentRecorded)
def consent_recorded(envelope: Envelope, event: events.ConsentRecorded) -> Fact:
    """subject = the consent; kind = how it was given (method)."""
    return Fact.of(
        envelope,
        on_date=event.consented_on,
        subject_id=event.consent_id,
        case_id=event.case_id,
        kind=event.method,
    )


@rules.to_fact(events.ConsentWithdrawn)
def consent_withdrawn(envelope: Envelope, event: events.ConsentWithdrawn) -> Fact:
    """subject = the consent withdrawn."""
    return Fact.of(
        envelope, on_date=event.withdrawn_on, subject_id=event.consent_id, case_id=event.case_id
    )


@rules.to_fact(events.CaseClosed)
def case_closed(envelope: Envelope, event: events.CaseClosed) -> Fact:
    """code = the reason for closing."""
    return Fact.of(
        envelope,
        on_date=event.closed_on,
        subject_id=event.case_id,
        case_id=event.case_id,
        code=event.reason_code,
    )


@rules.to_fact(events.CaseReopened)
def case_reopened(envelope: Envelope, event: events.CaseReopened) -> Fact:
    """ケース再開: agency = the lead agency (主担当); code = the reason. Not a CaseOpened and
    not a consultation: a reopened case is neither a new case nor a new consultation."""
    return Fact.of(
        envelope,
        on_date=event.reopened_on,
        subject_id=event.case_id,
        case_id=event.case_id,
        agency_id=event.lead_agency_id,
        code=event.reason_code,
    )
