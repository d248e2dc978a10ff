"""Referral figures: requests, answers, acceptance times, overdue and late answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from uuid import UUID

from indicators.domain.facts import Fact
from indicators.domain.figures.base import (
    Figure,
    count,
    first_per_subject,
    grouped,
    in_year,
    of_type,
)
from indicators.domain.fiscal_years import jst_date
from indicators.domain.stats import percentile, round1


def acceptance_days(req: Fact, acc: Fact) -> float | None:
    """Days from request to acceptance. Between the instants they were entered when both were
    entered on the day they happened (to the minute); between the days they happened when
    either was entered afterwards — the instants then say when someone typed, not when the
    receiver answered."""
    if req.at is None or acc.at is None:
        return None
    if jst_date(req.at) == req.on_date and jst_date(acc.at) == acc.on_date:
        return (acc.at - req.at).total_seconds() / 86400
    return float((acc.on_date - req.on_date).days)


def referral_figures(fy: int, facts: Sequence[Fact], today: date) -> list[Figure]:
    requested = first_per_subject(in_year(of_type(facts, "referral.ReferralRequested"), fy))
    responses: dict[str, dict[str, Fact]] = defaultdict(dict)
    for f in sorted(
        of_type(
            facts,
            "referral.ReferralAccepted",
            "referral.ReferralDeclined",
            "referral.ReferralRevoked",
        ),
        key=lambda f: (f.occurred_at, f.event_id),
    ):
        responses[f.subject_id].setdefault(f.event_type, f)
    accepted: list[tuple[Fact, Fact]] = []
    declined: list[Fact] = []
    overdue: list[UUID] = []
    late: list[UUID] = []
    for rid, req in requested.items():
        got = responses.get(rid, {})
        acc = got.get("referral.ReferralAccepted")
        dec = got.get("referral.ReferralDeclined")
        answer = acc or dec
        if acc:
            accepted.append((req, acc))
        if dec:
            declined.append(dec)
        if answer is None and "referral.ReferralRevoked" not in got:
            if req.due_on is not None and req.due_on < today:
                overdue.append(req.event_id)
        elif answer is not None and req.due_on is not None and answer.on_date > req.due_on:
            late.extend([req.event_id, answer.event_id])
    days = [d for req, acc in accepted if (d := acceptance_days(req, acc)) is not None]
    pair_ids = tuple(i for req, acc in accepted for i in (req.event_id, acc.event_id))
    median, p90 = percentile(days, 0.5), percentile(days, 0.9)
    return [
        count("referrals.requested", "", [r.event_id for r in requested.values()]),
        *grouped(
            "referrals.requested_by_agency",
            ((r.agency_id or "", r.event_id) for r in requested.values()),
        ),
        *grouped(
            "referrals.requested_by_agency_month",
            ((f"{r.agency_id}|{r.on_date:%Y-%m}", r.event_id) for r in requested.values()),
        ),
        *grouped(
            "referrals.received_by_agency_month",
            (
                (f"{r.other_agency_id}|{r.on_date:%Y-%m}", r.event_id)
                for r in requested.values()
                if r.other_agency_id is not None  # to a program, not an agency
            ),
        ),
        count("referrals.accepted", "", [a.event_id for _, a in accepted]),
        count("referrals.declined", "", [d.event_id for d in declined]),
        Figure(
            "referrals.acceptance_days_median",
            "",
            None if median is None else round1(median),
            pair_ids,
        ),
        Figure("referrals.acceptance_days_p90", "", None if p90 is None else round1(p90), pair_ids),
        count("referrals.overdue_open", "", overdue),
        Figure("referrals.answered_late", "", len(late) // 2, tuple(late)),
    ]
