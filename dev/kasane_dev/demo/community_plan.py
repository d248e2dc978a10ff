"""The demo year's 地域づくり and case-work records as data (pure, like ``plan``): 見守り
ネットワーク concerns, 支え合い推進会議, program activity, 支援経過記録.

Everything is dated inside the fiscal year, whatever day the demo is run: the services take
the day an act happened, so the year's figures land in that year.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final, Literal

from kasane.reference.programs import get_program
from kasane.reference.school_districts import school_districts
from kasane_dev.demo.days import FiscalDays, office_hours
from kasane_dev.demo.model import Activity, Case, CaseRecord, Concern, Council

REPORTERS = (("minsei_iin", 35), ("fureai", 25), ("business", 20), ("resident", 15), ("other", 5))
CONCERN_CODES = ("isolation", "elderly_care", "self_neglect", "hikikomori", "poverty", "8050")
COUNCIL_TOPICS = ("watching", "ibasho", "mutual_aid", "mobility", "disaster", "isolation")
# 社協's own 地域づくり programs that report monthly (生活支援体制整備, 支え合いのまちづくり).
ACTIVITY_PROGRAMS = ("living_support_system", "sasaeau_plan")
RecordKind = Literal["contact", "visit", "call", "note", "meeting"]
RECORD_KINDS: Final[tuple[RecordKind, ...]] = ("contact", "visit", "call", "note", "meeting")


def _scaled(n: float, scale: float) -> int:
    return max(1, round(n * scale))


def concerns(rng: random.Random, days: FiscalDays, scale: float) -> tuple[Concern, ...]:
    """About 120 reports a year from the network's members (民生委員, ふれあいの会, 事業者 …)."""
    districts = [d.code for d in school_districts()]
    found = []
    for i in range(_scaled(120, scale)):
        reporter = rng.choices([r for r, _ in REPORTERS], weights=[w for _, w in REPORTERS])[0]
        found.append(
            Concern(
                key=f"concern-{i + 1:03d}",
                school_district_code=rng.choice(districts),
                reporter_type=reporter,
                urgency="urgent" if rng.random() < 0.1 else "normal",
                issue_codes=tuple(rng.sample(CONCERN_CODES, rng.randint(1, 2))),
                reported_on=rng.choice(days.business),
            )
        )
    return tuple(sorted(found, key=lambda c: (c.reported_on, c.key)))


def councils(rng: random.Random, days: FiscalDays, scale: float) -> tuple[Council, ...]:
    """Each 校区's 協議体 meets two to four times a year (one per 校区 and day)."""
    all_districts = [d.code for d in school_districts()]
    chosen = sorted(rng.sample(all_districts, min(len(all_districts), _scaled(46, scale))))
    found = []
    for district in chosen:
        held = sorted(set(days.spread(rng, days.first, days.last, rng.randint(2, 4))))
        for day in held:
            found.append(
                Council(
                    school_district_code=district,
                    held_on=day,
                    participants=rng.randint(8, 25),
                    topic_codes=tuple(rng.sample(COUNCIL_TOPICS, rng.randint(1, 2))),
                )
            )
    return tuple(found)


def _units(code: str) -> tuple[str | None, ...]:
    """What a program's activity is reported per: each component/facility, or the whole."""
    program = get_program(code)
    return (program.units or (None,)) if program is not None else (None,)


def activity(rng: random.Random, days: FiscalDays) -> tuple[Activity, ...]:
    """Every month of the year, each of 社協's reporting programs, per component."""
    return tuple(
        Activity(code, month, sessions, sessions * rng.randint(6, 15), unit)
        for code in ACTIVITY_PROGRAMS
        for month in days.months
        for unit in _units(code)
        for sessions in (rng.randint(4, 20),)
    )


def records(rng: random.Random, days: FiscalDays, cases: Sequence[Case]) -> tuple[CaseRecord, ...]:
    """One to three 支援経過記録 entries on each story case, after it opened, in the year."""
    found = []
    for case in cases:
        if case.household is None:
            continue  # walk-ins: the consultation record is the whole story
        start = case.opened_on + timedelta(days=1)
        if start > days.last:
            continue
        picked: list[date] = days.spread(rng, start, days.last, rng.randint(1, 3))
        for n, day in enumerate(d for d in picked if d > case.opened_on):
            found.append(
                CaseRecord(
                    key=f"{case.key}.record{n}",
                    case=case.key,
                    kind=rng.choice(RECORD_KINDS),
                    occurred_at=office_hours(rng, day),
                )
            )
    return tuple(found)
