"""The demo's own figures and their comparison with indicators' answers (pure)."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from kasane_dev.demo.journal import Journal
from kasane_dev.demo.plan import generate
from kasane_dev.demo.progress import Progress
from kasane_dev.demo.summary import Snapshot, checks, mismatches, observed, percent, table

PLAN = generate(2, 2025, 0.1)


def _snapshot(indicators: dict[str, float], operations: dict[tuple[str, str], float]) -> Snapshot:
    body: dict[str, Any] = {"indicators": [{"id": k, "actual": v} for k, v in indicators.items()]}
    ops: dict[str, Any] = {
        "figures": [{"figure": f, "key": k, "value": v} for (f, k), v in operations.items()]
    }
    return Snapshot.of(body, ops)


def _as_indicators_would_count(base: Snapshot) -> Snapshot:
    """The baseline plus exactly what the demo made (absolute figures replaced)."""
    indicators = dict(base.indicators)
    operations = dict(base.operations)
    for c in checks(PLAN):
        if c.source == "indicator":
            indicators[c.figure] = (
                (indicators.get(c.figure) or 0) + c.expected if c.additive else c.expected
            )
        else:
            operations[(c.figure, c.key)] = operations.get((c.figure, c.key), 0) + c.expected
    return Snapshot(indicators, operations)


def test_checks_count_what_the_plan_sends() -> None:
    found = {(c.figure, c.key): c.expected for c in checks(PLAN)}
    plans = Counter(c.plan.program for c in PLAN.cases if c.plan)
    assert found[("plans_multiagency", "")] == plans["multiagency"]
    assert found[("consultations.total", "")] == sum(len(c.consultations) for c in PLAN.cases)
    assert found[("watch_visits", "")] == sum(w.visits for w in PLAN.watch_reports)
    assert found[("meetings.held", "support_meeting")] == 12


def test_counts_compare_as_deltas_and_totals_as_they_stand() -> None:
    before = _snapshot(
        {"plans_multiagency": 5, "watch_visits": 1000, "survey_mutual_support": 50.0},
        {("consultations.total", ""): 40},
    )
    after = _as_indicators_would_count(before)
    assert mismatches(checks(PLAN), before, after) == []
    # One consultation more than the demo made is a difference, and shows in the table.
    off = Snapshot(
        after.indicators,
        {
            **after.operations,
            ("consultations.total", ""): after.operations[("consultations.total", "")] + 1,
        },
    )
    differing = mismatches(checks(PLAN), before, off)
    assert [(c.figure, c.key) for c in differing] == [("consultations.total", "")]
    assert observed(differing[0], before, off) == differing[0].expected + 1
    assert any(line.endswith("← differs") for line in table(checks(PLAN), before, off))


def test_survey_percent_is_rounded_half_up_like_indicators() -> None:
    assert percent(641, 1000) == 64.1
    assert percent(1281, 2000) == 64.1  # 64.05 → 64.1, not banker's 64.0


def test_progress_prints_one_line_per_phase_off_a_terminal() -> None:
    out = io.StringIO()
    bar = Progress("phase", 3, out)
    for _ in range(3):
        bar.advance()
    bar.finish()
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and "3/3" in lines[0] and "#" * 28 in lines[0]


def test_journal_keeps_finished_steps_across_runs(tmp_path: Any) -> None:
    journal = Journal.open(tmp_path, 2025, 9, {"scale": 1.0})
    journal.put("case-0001.case", "abc")
    journal.save()
    again = Journal.open(tmp_path, 2025, 9, {"scale": 2.0})
    assert again.get("case-0001.case") == "abc" and again.meta["scale"] == 1.0
    again.discard()
    assert Journal.open(tmp_path, 2025, 9, {}).done == {}
