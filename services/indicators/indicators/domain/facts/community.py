"""community's (社協's) events as facts."""

from __future__ import annotations

from indicators.domain.facts.fact import Fact, jst_date, month_start, rules
from kasane.events import community as events
from kasane.events.envelope import Envelope


@rules.to_fact(events.WatchVisitsReported)
def watch_visits_reported(envelope: Envelope, event: events.WatchVisitsReported) -> Fact:
    """subject = ``校区:month`` (a later revision replaces an earlier one); kind = the 校区,
    code = the month, amount = visits. Dated by the month's first day: the month decides the
    年度 (it always agrees with the event's fiscal_year)."""
    return Fact.of(
        envelope,
        on_date=month_start(event.month),
        subject_id=f"{event.school_district_code}:{event.month}",
        kind=event.school_district_code,
        code=event.month,
        amount=event.visits,
        revision=event.revision,
    )


@rules.to_fact(events.SupportCouncilHeld)
def support_council_held(envelope: Envelope, event: events.SupportCouncilHeld) -> Fact:
    """kind = the 校区; amount = participants."""
    return Fact.of(
        envelope,
        on_date=event.held_on,
        subject_id=event.council_meeting_id,
        kind=event.school_district_code,
        amount=event.participants,
    )


@rules.to_fact(events.ConcernReported)
def concern_reported(envelope: Envelope, event: events.ConcernReported) -> Fact:
    """kind = urgency; code = who reported it (reporter type); codes = issue codes."""
    return Fact.of(
        envelope,
        on_date=event.reported_on,
        subject_id=event.concern_id,
        kind=event.urgency,
        code=event.reporter_type,
        codes=tuple(event.issue_codes),
    )


@rules.to_fact(events.ResourcePublished)
def resource_published(envelope: Envelope, event: events.ResourcePublished) -> Fact:
    """Dated when published (JST); kind = category, amount = capacity, revision = version."""
    return Fact.of(
        envelope,
        on_date=jst_date(envelope.occurred_at),
        subject_id=event.resource_id,
        kind=event.category,
        amount=event.capacity,
        revision=event.version,
    )


@rules.to_fact(events.ResourceWithdrawn)
def resource_withdrawn(envelope: Envelope, event: events.ResourceWithdrawn) -> Fact:
    return Fact.of(envelope, on_date=event.withdrawn_on, subject_id=event.resource_id)


@rules.to_fact(events.ProgramActivityReported)
def program_activity_reported(envelope: Envelope, event: events.ProgramActivityReported) -> Fact:
    """subject = the report (a correction republishes it: the latest event wins); program =
    the program code; kind = the component/facility (None: the whole program); code = the
    month (its first day dates it); amount = participants, second_amount = sessions."""
    return Fact.of(
        envelope,
        on_date=month_start(event.month),
        subject_id=event.report_id,
        program=event.program_code,
        kind=event.component_code,
        code=event.month,
        amount=event.participants,
        second_amount=event.sessions,
        school_district_code=event.school_district_code,
    )
