"""One fiscal year of events from every service, with its hand-computed figures.

Dates are relative to the fiscal year ``fy`` (April ``fy`` to March ``fy + 1``); a few
events fall in the previous year on purpose and must not be counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from kasane.events import community, intake, meetings, outreach, participation, referral
from kasane.events.meetings import RoleAssignment
from tests.integration.indicators.indicators_events import (
    Events,
    at,
    case_opened,
    consultation,
    d,
    plan_approved,
    watch,
)


@dataclass
class Story:
    fy: int
    plan_ids: dict[str, list[UUID]] = field(default_factory=dict)
    watch_ids: list[UUID] = field(default_factory=list)
    jiritsu_new_ids: list[UUID] = field(default_factory=list)  # 新規相談受付 at jiritsu


def build(ev: Events, fy: int, outside: bool = True) -> Story:
    """``outside``: also the events of other years that must not count (and the older plans
    that are still active); without them the story writes only inside its own year."""
    y, n, p = str(fy), str(fy + 1), str(fy - 1)
    story = Story(fy)

    # intake: consultations (3 in the year; one a minute before the year starts, in JST);
    # both at jiritsu are their case's first there (新規相談受付)
    first = consultation(ev, "jiritsu", at(f"{y}-05-10"), issue_codes=["poverty", "debt"])
    consultation(
        ev,
        "houkatsu-01",
        at(f"{y}-06-01"),
        issue_codes=["elderly_care", "hikikomori"],
        is_complex=True,
        between_systems=True,
    )
    last = consultation(
        ev, "jiritsu", at(f"{n}-03-31", 23), issue_codes=["poverty"], is_complex=True
    )
    story.jiritsu_new_ids = [first, last]
    if outside:
        consultation(ev, "kodomo", at(f"{y}-03-31", 23))  # previous year (JST)
    # cases opened: 2 at jiritsu in the year
    case_opened(ev, "jiritsu", f"{y}-04-01")
    case_opened(ev, "jiritsu", f"{n}-03-31")
    if outside:
        case_opened(ev, "jiritsu", f"{y}-03-31")  # previous year
    case_opened(ev, "houkatsu-02", f"{y}-07-01")  # not 生活自立支援センター
    case = uuid4()
    ev.add(
        intake.CaseClassified(
            case_id=case, issue_codes=["8050"], is_complex=True, between_systems=False
        ),
        "houkatsu-02",
    )
    ev.add(
        intake.CaseEscalated(
            case_id=case,
            program="multiagency",
            reason_codes=["8050"],
            escalated_on=d(f"{y}-07-02"),
            by_agency_id="houkatsu-02",
        ),
        "houkatsu-02",
    )
    consent = uuid4()
    ev.add(
        intake.ConsentRecorded(
            consent_id=consent,
            case_id=case,
            person_id=uuid4(),
            method="written",
            consented_on=d(f"{y}-07-02"),
        ),
        "houkatsu-02",
    )
    ev.add(
        intake.ConsentWithdrawn(consent_id=consent, case_id=case, withdrawn_on=d(f"{y}-12-01")),
        "houkatsu-02",
    )
    ev.add(
        intake.CaseClosed(case_id=case, closed_on=d(f"{n}-02-01"), reason_code="resolved"),
        "houkatsu-02",
    )

    # referral: acceptance days 2, 10 (late), 4; one open past due; one declined; one revoked
    def requested(day: str, due: str) -> tuple[UUID, UUID]:
        rid, cid = uuid4(), uuid4()
        ev.add(
            referral.ReferralRequested(
                referral_id=rid,
                case_id=cid,
                from_agency_id="houkatsu-03",
                to_agency_id="jiritsu",
                reason_codes=["poverty"],
                legal_basis="consent",
                consent_id=uuid4(),
                requested_at=at(day),
                requested_on=d(day),
                due_on=d(due),
            ),
            "houkatsu-03",
        )
        return rid, cid

    for req, due, acc in (
        (f"{y}-05-01", f"{y}-05-08", f"{y}-05-03"),
        (f"{y}-06-01", f"{y}-06-05", f"{y}-06-11"),
        (f"{y}-09-01", f"{y}-09-30", f"{y}-09-05"),
    ):
        rid, cid = requested(req, due)
        ev.add(
            referral.ReferralAccepted(
                referral_id=rid,
                case_id=cid,
                by_agency_id="jiritsu",
                accepted_at=at(acc),
                accepted_on=d(acc),
            ),
            "jiritsu",
        )
        if req.endswith("09-01"):
            ev.add(
                referral.ReferralCompleted(
                    referral_id=rid,
                    case_id=cid,
                    completed_at=at(f"{y}-10-01"),
                    outcome_code="supported",
                ),
                "jiritsu",
            )
    requested(f"{y}-07-01", f"{y}-07-10")  # never answered: overdue
    rid, cid = requested(f"{y}-08-01", f"{y}-08-10")
    ev.add(
        referral.ReferralDeclined(
            referral_id=rid,
            case_id=cid,
            by_agency_id="jiritsu",
            declined_at=at(f"{y}-08-02"),
            reason_code="out_of_scope",
        ),
        "jiritsu",
    )
    rid, cid = requested(f"{y}-08-05", f"{y}-08-12")
    ev.add(
        referral.ReferralRevoked(
            referral_id=rid, case_id=cid, revoked_at=at(f"{y}-08-06"), reason_code="by_sender"
        ),
        "houkatsu-03",
    )

    # meetings
    m1, m2 = uuid4(), uuid4()
    ev.add(
        meetings.MeetingScheduled(
            meeting_id=m1,
            meeting_type="multilayer_meeting",
            scheduled_on=d(f"{y}-04-23"),
            fiscal_year=fy,
        )
    )
    ev.add(
        meetings.MeetingHeld(
            meeting_id=m1,
            meeting_type="multilayer_meeting",
            held_on=d(f"{y}-04-23"),
            items_discussed=2,
        )
    )
    ev.add(
        meetings.MeetingHeld(
            meeting_id=m2,
            meeting_type="support_meeting",
            held_on=d(f"{y}-04-23"),
            items_discussed=1,
        )
    )
    for mid, mtype, basis in (
        (m1, "multilayer_meeting", "consent"),
        (m1, "multilayer_meeting", "consent"),
        (m2, "support_meeting", "support_meeting"),
    ):
        ev.add(
            meetings.CaseDiscussed(
                meeting_id=mid,
                agenda_item_id=uuid4(),
                case_id=uuid4(),
                meeting_type=mtype,
                kind="plan_appropriateness",  # type: ignore[arg-type]
                legal_basis=basis,
                discussed_on=d(f"{y}-04-23"),
                access_until=d(f"{y}-07-22"),
            )
        )  # type: ignore[arg-type]
    ev.add(
        meetings.PlanSubmitted(
            plan_id=uuid4(), case_id=uuid4(), program="multiagency", submitted_on=d(f"{y}-04-10")
        )
    )
    plans = {
        "participation": [f"{y}-05-28", f"{y}-06-25"],
        "outreach": [f"{n}-03-24"],
        "multiagency": [f"{y}-04-23", f"{y}-04-23", f"{y}-09-24"],
    }
    for program, days in plans.items():
        story.plan_ids[program] = [plan_approved(ev, program, day) for day in days]
    old_plan = uuid4()
    if outside:
        plan_approved(ev, "multiagency", f"{y}-03-26", old_plan)  # previous year, still active
    if outside:
        plan_approved(ev, "multiagency", f"{y}-10-22", old_plan)  # approved again: counted once
    ended_plan, suspended_plan = uuid4(), uuid4()
    if outside:
        plan_approved(ev, "multiagency", f"{p}-10-22", ended_plan)  # two years ago
    ev.add(
        meetings.PlanEnded(
            plan_id=ended_plan,
            case_id=uuid4(),
            program="multiagency",
            ended_on=d(f"{y}-12-24"),
            end_kind="completed",
            reason_code="goals_met",
        )
    )
    if outside:
        plan_approved(ev, "participation", f"{p}-06-01", suspended_plan)
    ev.add(
        meetings.PlanEnded(
            plan_id=suspended_plan,
            case_id=uuid4(),
            program="participation",
            ended_on=d(f"{n}-01-28"),
            end_kind="suspended",
            reason_code="moved",
        )
    )
    ev.add(
        meetings.PlanReturned(
            plan_id=uuid4(),
            case_id=uuid4(),
            program="participation",
            meeting_id=m1,
            returned_on=d(f"{y}-04-23"),
            reason_code="needs_goals",
        )
    )
    ev.add(
        meetings.RolesAssigned(
            plan_id=uuid4(),
            case_id=uuid4(),
            meeting_id=m1,
            assigned_on=d(f"{y}-04-23"),
            roles=[RoleAssignment(agency_id="jiritsu", role_code="main", lead=True)],
        )
    )
    ev.add(
        meetings.PlanEvaluated(
            plan_id=ended_plan,
            case_id=uuid4(),
            program="multiagency",
            meeting_id=m1,
            evaluated_on=d(f"{y}-12-24"),
            result_code="end",
        )
    )
    ev.add(
        meetings.ResourceGapRaised(
            gap_id=uuid4(), meeting_id=m1, category_code="ibasho", raised_on=d(f"{y}-04-23")
        )
    )

    # outreach: 3 targets found in the year (one reaches 支援開始), one found the year before
    t1, t2, t3, t_old = uuid4(), uuid4(), uuid4(), uuid4()
    for t in (t1, t2, t3):
        ev.add(
            outreach.OutreachTargetRegistered(
                target_id=t, source="minsei_iin", registered_on=d(f"{y}-05-01")
            )
        )
    if outside:
        ev.add(
            outreach.OutreachTargetRegistered(
                target_id=t_old, source="fureai", registered_on=d(f"{y}-03-01")
            )
        )
    for t, frm, to, day in (
        (t1, "not_contacted", "contacted", "06-01"),
        (t1, "contacted", "relationship", "07-01"),
        (t1, "relationship", "support_started", "08-01"),
        (t2, "not_contacted", "contacted", "06-15"),
        (t_old, "not_contacted", "contacted", "06-15"),
    ):
        ev.add(
            outreach.EngagementStageChanged(
                target_id=t, from_stage=frm, to_stage=to, changed_on=d(f"{y}-{day}")
            )
        )
    for t, result in ((t1, "met"), (t2, "absent"), (t2, "talked")):
        ev.add(
            outreach.ContactAttempted(
                target_id=t,
                contact_id=uuid4(),
                method="visit",
                result=result,
                attempted_on=d(f"{y}-06-01"),
            )
        )
    ev.add(
        outreach.PlanSubmitted(
            plan_id=uuid4(),
            case_id=uuid4(),
            program="outreach",
            submitted_on=d(f"{n}-03-01"),
            target_id=t1,
        )
    )
    ev.add(
        outreach.OutreachEnded(target_id=t3, ended_on=d(f"{n}-01-10"), reason_code="handed_over")
    )

    # participation
    part1, part2 = uuid4(), uuid4()
    for part in (part1, part2):
        ev.add(
            participation.ParticipationStarted(
                participant_id=part, case_id=uuid4(), started_on=d(f"{y}-06-01")
            ),
            "aso",
        )
    placement = uuid4()
    for category, pid in (("ibasho", placement), ("ibasho", uuid4()), ("work_trial", uuid4())):
        ev.add(
            participation.PlacementStarted(
                placement_id=pid,
                participant_id=part1,
                case_id=uuid4(),
                resource_id=uuid4(),
                category=category,
                started_on=d(f"{y}-07-01"),
            ),
            "aso",
        )
    ev.add(
        participation.PlacementEnded(
            placement_id=placement,
            participant_id=part1,
            case_id=uuid4(),
            ended_on=d(f"{y}-12-01"),
            outcome_code="completed",
        ),
        "aso",
    )
    ev.add(
        participation.ParticipationEnded(
            participant_id=part2, case_id=uuid4(), ended_on=d(f"{n}-02-01"), outcome_code="employed"
        ),
        "aso",
    )
    ev.add(
        participation.PlanSubmitted(
            plan_id=uuid4(),
            case_id=uuid4(),
            program="participation",
            submitted_on=d(f"{y}-05-01"),
            participant_id=part1,
        ),
        "aso",
    )

    # community: ふれあいの会 monthly reports with corrections (the latest revision counts)
    watch(ev, "01", f"{y}-04", 100, 1)
    story.watch_ids.append(watch(ev, "01", f"{y}-04", 120, 2))
    story.watch_ids.append(watch(ev, "02", f"{y}-04", 50, 1))
    story.watch_ids.append(watch(ev, "02", f"{y}-05", 80, 2))  # correction arrives first
    watch(ev, "02", f"{y}-05", 70, 1)
    story.watch_ids.append(watch(ev, "01", f"{n}-03", 200, 1))
    if outside:
        watch(ev, "01", f"{y}-03", 999, 1)  # previous year
    ev.add(
        community.SupportCouncilHeld(
            council_meeting_id=uuid4(),
            school_district_code="01",
            held_on=d(f"{y}-06-10"),
            participants=12,
        )
    )
    ev.add(
        community.ConcernReported(
            concern_id=uuid4(),
            school_district_code="02",
            reporter_type="minsei_iin",
            urgency="urgent",
            reported_on=d(f"{y}-06-11"),
        )
    )
    resource = uuid4()
    ev.add(community.ResourcePublished(resource_id=resource, version=1, category="ibasho"))
    ev.add(community.ResourceWithdrawn(resource_id=resource, withdrawn_on=d(f"{y}-11-01")))
    ev.add(
        community.ProgramActivityReported(
            report_id=uuid4(), program_code="salon", month=f"{y}-06", sessions=4, participants=40
        )
    )
    return story


# The hand-computed figures of the story (every fiscal year alike).
EXPECTED_ACTUALS = {
    "plans_participation": 2,
    "plans_outreach": 1,
    "plans_multiagency": 3,
    "jiritsu_new_consultations": 2,
    "watch_visits": 120 + 50 + 80 + 200,
}


def expected_operations(fy: int) -> dict[tuple[str, str], float | int]:
    return {**_EXPECTED_OPERATIONS, ("community.watch_visits_by_month", f"{fy}-04"): 170}


_EXPECTED_OPERATIONS: dict[tuple[str, str], float | int] = {
    ("consultations.total", ""): 3,
    ("consultations.by_agency", "jiritsu"): 2,
    ("consultations.by_agency", "houkatsu-01"): 1,
    ("consultations.complex", ""): 2,
    ("consultations.complex_share", ""): 66.7,
    ("consultations.between_systems", ""): 1,
    ("consultations.between_systems_share", ""): 33.3,
    ("cases.opened_by_agency", "jiritsu"): 2,
    ("cases.opened_by_agency", "houkatsu-02"): 1,
    ("cases.escalated_by_program", "multiagency"): 1,
    ("cases.closed", ""): 1,
    ("referrals.requested", ""): 6,
    ("referrals.accepted", ""): 3,
    ("referrals.declined", ""): 1,
    ("referrals.acceptance_days_median", ""): 4.0,
    ("referrals.acceptance_days_p90", ""): 8.8,  # 4 + (10 − 4) × 0.8
    ("referrals.overdue_open", ""): 1,
    ("referrals.answered_late", ""): 1,
    ("meetings.held", "multilayer_meeting"): 1,
    ("meetings.held", "support_meeting"): 1,
    ("meetings.cases_discussed", "multilayer_meeting:consent"): 2,
    ("meetings.cases_discussed", "support_meeting:support_meeting"): 1,
    ("meetings.cases_discussed", "support_meeting:consent"): 0,
    ("plans.approved", "multiagency"): 3,
    ("plans.active", "multiagency"): 4,  # 3 new + 1 from the year before; 1 ended
    ("plans.active", "participation"): 2,  # 2 new; the older one was suspended
    ("plans.active", "outreach"): 1,
    ("plans.completed", "multiagency"): 1,
    ("plans.suspended", "participation"): 1,
    ("plans.returned", "participation"): 1,
    ("outreach.funnel", "not_contacted"): 3,
    ("outreach.funnel", "contacted"): 2,
    ("outreach.funnel", "relationship"): 1,
    ("outreach.funnel", "support_started"): 1,
    ("outreach.funnel", "stable"): 0,
    ("outreach.contacts", "absent"): 1,
    ("participation.started", ""): 2,
    ("participation.placements_started", "ibasho"): 2,
    ("participation.placements_started", "work_trial"): 1,
    ("participation.placements_ended", "completed"): 1,
    ("community.watch_visits", ""): 450,
    ("community.support_councils", ""): 1,
    ("community.concerns", "urgent"): 1,
}
