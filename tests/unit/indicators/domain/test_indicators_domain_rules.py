"""Pure rules: facts from events, figures, progress, Wilson intervals, survey input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

from indicators.domain.catalog import BY_ID
from indicators.domain.facts import Fact, fact_of
from indicators.domain.figures import Figures, compute, effective_watch_reports, referral_figures
from indicators.domain.fiscal_years import as_of_date, fiscal_months
from indicators.domain.report import NO_SURVEY, NO_TARGET, Target, indicator_rows, progress_of
from indicators.domain.stats import percent, percentile, round1, wilson_interval
from indicators.domain.surveys import FieldError, SurveyCounts, parse_responses_csv
from indicators.handlers import dispatch
from kasane.events import all_contracts, community, intake, meetings, wrap

JST = timezone(timedelta(hours=9))
T0 = datetime(2025, 5, 1, tzinfo=UTC)


def fact(event_type: str, on: str, subject: str, **kw: object) -> Fact:
    return Fact(
        event_id=kw.pop("event_id", uuid4()),  # type: ignore[arg-type]
        event_type=event_type,
        occurred_at=kw.pop("occurred_at", T0),  # type: ignore[arg-type]
        on_date=date.fromisoformat(on),
        subject_id=subject,
        **kw,  # type: ignore[arg-type]
    )


def test_every_published_contract_has_a_handler() -> None:
    published = {c.event_type for group in all_contracts().values() for c in group}
    assert dispatch.handled_types == published


def test_watch_report_fact_takes_its_year_from_the_month() -> None:
    event = community.WatchVisitsReported(
        school_district_code="03", month="2026-03", visits=42, revision=2, fiscal_year=2025
    )
    found = fact_of(
        wrap(event, producer="community", municipality_code="402036", agency_id=None), event
    )
    assert found is not None
    assert (found.fiscal_year, found.subject_id, found.amount, found.revision) == (
        2025,
        "03:2026-03",
        42,
        2,
    )


def test_plan_approval_fact_is_dated_by_approval() -> None:
    event = meetings.PlanApproved(
        plan_id=uuid4(),
        case_id=uuid4(),
        program="outreach",
        meeting_id=uuid4(),
        approved_on=date(2026, 4, 1),
    )
    envelope = wrap(event, producer="meetings", municipality_code="402036", agency_id="shakyo")
    found = fact_of(envelope, event)
    assert found is not None and found.fiscal_year == 2026 and found.event_id == envelope.event_id


def test_case_opened_fact_keeps_the_lead_agency() -> None:
    event = intake.CaseOpened(case_id=uuid4(), lead_agency_id="jiritsu", opened_on=date(2025, 4, 1))
    found = fact_of(
        wrap(event, producer="intake", municipality_code="402036", agency_id="jiritsu"), event
    )
    assert found is not None and found.agency_id == "jiritsu" and found.fiscal_year == 2025


def test_the_latest_revision_of_a_watch_report_counts_whatever_the_arrival_order() -> None:
    second = fact(
        "community.WatchVisitsReported",
        "2025-05-01",
        "01:2025-05",
        amount=80,
        revision=2,
        occurred_at=T0,
    )
    first = fact(
        "community.WatchVisitsReported",
        "2025-05-01",
        "01:2025-05",
        amount=70,
        revision=1,
        occurred_at=T0 + timedelta(days=1),
    )
    assert effective_watch_reports(2025, [second, first]) == [second]
    assert effective_watch_reports(2025, [first, second]) == [second]


def test_referral_acceptance_percentiles_and_overdue() -> None:
    def pair(days: float, due_in: int, answered: bool = True) -> list[Fact]:
        rid = str(uuid4())
        req = fact(
            "referral.ReferralRequested",
            "2025-05-01",
            rid,
            at=T0,
            due_on=date(2025, 5, 1) + timedelta(days=due_in),
        )
        if not answered:
            return [req]
        acc_at = T0 + timedelta(days=days)
        return [req, fact("referral.ReferralAccepted", acc_at.date().isoformat(), rid, at=acc_at)]

    facts = [*pair(1, 5), *pair(3, 5), *pair(7, 5), *pair(2, 5), *pair(0, 3, answered=False)]
    got = {f.figure: f.value for f in referral_figures(2025, facts, today=date(2025, 6, 1))}
    assert got["referrals.acceptance_days_median"] == 2.5  # (2 + 3) / 2
    assert got["referrals.acceptance_days_p90"] == 5.8  # 3 + (7 − 3) × 0.7
    assert got["referrals.overdue_open"] == 1
    assert got["referrals.answered_late"] == 1
    early = {f.figure: f.value for f in referral_figures(2025, facts, today=date(2025, 5, 2))}
    assert early["referrals.overdue_open"] == 0  # not due yet


def test_acceptance_days_of_work_entered_afterwards_count_between_the_days_it_happened() -> None:
    """A referral made on 18 March and accepted on 20 March, both typed in on 6 April
    within a minute: two days, not one minute."""
    rid = str(uuid4())
    entered = datetime(2026, 4, 6, 10, 0, tzinfo=JST)
    req = fact("referral.ReferralRequested", "2026-03-18", rid, at=entered)
    acc = fact("referral.ReferralAccepted", "2026-03-20", rid, at=entered + timedelta(minutes=1))
    got = {f.figure: f.value for f in referral_figures(2025, [req, acc], today=date(2026, 4, 6))}
    assert got["referrals.acceptance_days_median"] == 2.0
    assert got["referrals.requested"] == got["referrals.accepted"] == 1


def test_a_plan_counts_once_in_the_year_of_its_first_approval() -> None:
    pid = str(uuid4())
    facts = [
        fact("meetings.PlanApproved", "2025-03-26", pid, program="multiagency"),
        fact("meetings.PlanApproved", "2025-10-22", pid, program="multiagency"),
        fact("meetings.PlanApproved", "2025-10-22", str(uuid4()), program="multiagency"),
    ]
    fy2025 = compute(2025, [], facts, as_of=date(2026, 3, 31), today=date(2026, 5, 1))
    assert fy2025.value("plans.approved", "multiagency") == 1
    assert fy2025.value("plans.active", "multiagency") == 2
    fy2024 = compute(2024, [], facts, as_of=date(2025, 3, 31), today=date(2026, 5, 1))
    assert fy2024.value("plans.approved", "multiagency") == 1


def test_progress_rules() -> None:
    assert progress_of(BY_ID["watch_visits"], 148000, 296000) == 50.0
    assert progress_of(BY_ID["jiritsu_new_consultations"], 1020, 1020) == 100.0
    # (67.0 − 64.1) / (70.0 − 64.1) = 49.15… → 49.2
    assert progress_of(BY_ID["survey_mutual_support"], 67.0, 70.0) == 49.2
    assert progress_of(BY_ID["survey_mutual_support"], 64.1, 70.0) == 0.0
    assert progress_of(BY_ID["watch_visits"], 1, None) is None
    assert progress_of(BY_ID["watch_visits"], None, 10) is None


def test_a_year_without_target_or_survey_says_so() -> None:
    rows = {r.id: r for r in indicator_rows(Figures(2030, []), {}, {})}
    assert rows["watch_visits"].target is None and rows["watch_visits"].note == NO_TARGET
    assert rows["survey_can_counsel"].actual is None
    assert NO_SURVEY in (rows["survey_can_counsel"].note or "")
    with_target = indicator_rows(
        Figures(2030, []), {"plans_outreach": Target(30, "every_year")}, {}
    )
    outreach = next(r for r in with_target if r.id == "plans_outreach")
    assert (outreach.target, outreach.actual, outreach.progress) == (30, 0, 0.0)
    assert outreach.fiscal_year_label == "令和12年度"


def test_wilson_interval_and_rounding() -> None:
    assert wilson_interval(268, 400) == (62.2, 71.4)
    assert wilson_interval(0, 10) == (0.0, 27.8)
    assert wilson_interval(10, 10) == (72.2, 100.0)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    assert round1(64.05) == 64.1  # half up, not to even
    assert percent(1, 3) == 33.3 and percent(0, 0) is None
    assert percentile([], 0.5) is None and percentile([5.0], 0.9) == 5.0


def test_fiscal_year_helpers() -> None:
    assert fiscal_months(2025)[0] == "2025-04" and fiscal_months(2025)[-1] == "2026-03"
    assert as_of_date(2025, date(2025, 11, 1)) == date(2025, 11, 1)
    assert as_of_date(2024, date(2025, 11, 1)) == date(2025, 3, 31)
    assert as_of_date(2030, date(2025, 11, 1)) == date(2030, 4, 1)


def test_survey_counts_validation_names_the_field() -> None:
    with pytest.raises(ValidationError) as bad:
        SurveyCounts.model_validate(
            {
                "fiscal_year": 2024,
                "results": [{"question_id": "mutual_support", "respondents": 10, "yes": 11}],
            }
        )
    assert bad.value.errors()[0]["loc"] == ("results", 0, "yes")
    with pytest.raises(ValidationError) as unknown:
        SurveyCounts.model_validate(
            {"fiscal_year": 2024, "results": [{"question_id": "nope", "respondents": 10, "yes": 1}]}
        )
    assert unknown.value.errors()[0]["loc"] == ("results", 0, "question_id")
    with pytest.raises(ValidationError) as future:
        SurveyCounts.model_validate(
            {
                "fiscal_year": 2999,
                "results": [{"question_id": "can_counsel", "respondents": 1, "yes": 1}],
            }
        )
    assert future.value.errors()[0]["loc"] == ("fiscal_year",)


def test_responses_csv() -> None:
    text = "\ufeffrespondent,mutual_support,can_counsel\n1,1,0\n2,はい,\n3,ｙｅｓ,いいえ\n4,0,1\n"
    assert parse_responses_csv(text) == {"mutual_support": (4, 3), "can_counsel": (3, 1)}
    with pytest.raises(FieldError) as header:
        parse_responses_csv("name,mutual_support\nx,1\n")
    assert header.value.field == "csv.header"
    with pytest.raises(FieldError) as answer:
        parse_responses_csv("mutual_support\nmaybe\n")
    assert answer.value.field == "csv.line2.mutual_support"


def test_instants_are_counted_in_the_japanese_year() -> None:
    received = datetime(2026, 3, 31, 23, 30, tzinfo=JST)
    event = intake.ConsultationReceived(
        consultation_id=uuid4(),
        agency_id="jiritsu",
        received_at=received,
        channel="phone",
        issue_codes=["poverty"],
        age_band="40-49",
        school_district_code="01",
        is_complex=False,
    )
    assert isinstance(event.consultation_id, UUID)
    figures = compute(2025, [], [], as_of=date(2026, 3, 31), today=date(2026, 5, 1))
    assert figures.value("consultations.total") == 0
