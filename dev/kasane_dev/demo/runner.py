"""Run a demo plan against the running services, then check indicators agrees.

Phases follow the year's logic rather than its calendar: everything is dated in the past,
so the APIs accept it in any order except where one step needs another service to have
consumed an event first; those steps wait (bounded) for it.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from kasane.clock import today_jst
from kasane.fiscal_year import fiscal_year_bounds, fiscal_year_of, wareki_label
from kasane.settings import SERVICES, Settings
from kasane_dev.demo import summary
from kasane_dev.demo.client import CITY, SHAKYO, Http, actor_of
from kasane_dev.demo.community_steps import (
    load_activity,
    load_concern,
    load_council,
    load_survey,
    load_watch_report,
)
from kasane_dev.demo.context import Context
from kasane_dev.demo.intake_steps import load_case, load_record
from kasane_dev.demo.journal import (
    Journal,
    marker_path,
    other_markers,
    read_marker,
    remove_marker,
    write_marker,
)
from kasane_dev.demo.meeting_steps import approval_days, calendar, run_meetings
from kasane_dev.demo.model import DemoPlan
from kasane_dev.demo.plan import generate
from kasane_dev.demo.program_steps import (
    load_multiagency_plan,
    load_outreach,
    load_participant,
    load_placements,
    load_referrals,
    load_resource,
    poll,
)


class DemoError(Exception):
    """The demo cannot run (or did not finish); the message says what to do."""


@dataclass(frozen=True)
class Options:
    seed: int = 1
    fiscal_year: int = 2025
    scale: float = 1.0
    workers: int = 8
    settle_timeout_s: float = 300.0


@dataclass
class Outcome:
    status: str  # loaded | already_loaded
    summary: dict[str, Any] = field(default_factory=dict)


async def run(
    settings: Settings,
    urls: Mapping[str, str],
    options: Options,
    out: TextIO | None = None,
) -> Outcome:
    out = out or sys.stdout
    fy, seed = options.fiscal_year, options.seed
    today = today_jst()
    if fiscal_year_bounds(fy)[1] >= today:
        raise DemoError(
            f"FY{fy} has not ended yet: the demo fills a past fiscal year (e.g. --fiscal-year "
            f"{fy - 1}) / 終了した年度を指定してください"
        )
    http = Http(urls, settings.keys_dir, concurrency=options.workers)
    try:
        await _check_health(http)
        marker = marker_path(settings.state_dir, fy, seed)
        loaded = await _already_loaded(http, settings, options, marker)
        if loaded is not None:
            _say(
                out,
                f"kasane demo: {wareki_label(fy)}（FY{fy}, seed {seed}）は読み込み済みです"
                f" / already loaded ({marker}); nothing changed.",
            )
            return Outcome("already_loaded", loaded)
        plan = generate(seed, fy, options.scale)
        journal = await _journal(http, settings, options, plan, out)
        return await _load(http, journal, plan, options, today, out, marker)
    finally:
        await http.aclose()


async def _already_loaded(
    http: Http, settings: Settings, options: Options, marker: Path
) -> dict[str, Any] | None:
    """The summary of this seed's loaded year; refuses when another seed's year is loaded."""
    loaded = await _live_marker(http, read_marker(marker))
    if loaded is not None:
        return loaded
    remove_marker(marker)  # the stack was reset since: the marker no longer holds
    for other in other_markers(settings.state_dir, options.fiscal_year, options.seed):
        found = await _live_marker(http, read_marker(other))
        if found is not None:
            raise DemoError(
                f"FY{options.fiscal_year} already holds the demo of seed {found.get('seed')} "
                f"({other}); another seed would add a second year on top of it. Use that "
                f"seed, or reset the stack first (kasane down; remove {settings.state_dir}/pgdata"
                f" and {settings.state_dir}/kafka/data; kasane up)."
            )
    return None


async def _journal(
    http: Http, settings: Settings, options: Options, plan: DemoPlan, out: TextIO
) -> Journal:
    """This seed's journal: a partial run to resume, or a fresh one."""
    fy, seed = options.fiscal_year, options.seed
    meta = {"scale": options.scale, "started": time.time()}
    journal = Journal.open(settings.state_dir, fy, seed, meta)
    if journal.meta.get("scale") != options.scale:
        raise DemoError(
            f"a partial run of seed {seed} used --scale {journal.meta.get('scale')}; "
            f"resume it with that scale, or remove {journal.path}"
        )
    if journal.done and not await _journal_live(http, journal, plan):
        _say(out, f"the stack no longer holds the partial run in {journal.path}: starting over")
        journal.discard()
        journal = Journal.open(settings.state_dir, fy, seed, meta)
    return journal


async def _load(
    http: Http,
    journal: Journal,
    plan: DemoPlan,
    options: Options,
    today: date,
    out: TextIO,
    marker: Path,
) -> Outcome:
    began = time.monotonic()
    made = summary.counts(plan)
    _announce(out, plan, journal, made)
    ctx = Context(http, journal, plan, today, out, workers=options.workers)
    if "baseline" not in journal.meta:
        journal.meta["baseline"] = await _snapshot_raw(http, plan.fiscal_year)
        journal.save()
    at = _Phase()
    try:
        await _load_steps(ctx, plan, at)
    except* Exception as group:
        journal.save()
        error = _first(group)
        raise DemoError(
            f"stopped during {at.name}: {error}\n{len(journal.done)} finished steps are kept in "
            f"{journal.path}; run the same command again to resume"
        ) from error
    return await _verify(ctx, options, marker, made, began)


def _announce(out: TextIO, plan: DemoPlan, journal: Journal, made: dict[str, int]) -> None:
    _say(
        out,
        f"kasane demo: 久留米市 {wareki_label(plan.fiscal_year)}（FY{plan.fiscal_year}）"
        f" — 架空のデータ / fictional data, seed {plan.seed}, scale {plan.scale}",
    )
    _say(
        out,
        f"  {made['persons']} persons in {made['households']} households, "
        f"{made['consultations']} consultations in {made['cases']} cases, "
        f"{made['plans']} plans, {made['watch_visit_reports']} watch-visit reports",
    )
    if journal.done:
        _say(out, f"  resuming: {len(journal.done)} steps already done ({journal.path})")
    if journal.pending:
        _say(
            out,
            f"  note: {len(journal.pending)} steps were in flight when the last run stopped;"
            " they are sent again, and one the service had already recorded shows as a"
            " difference in the final check",
        )
        journal.pending.clear()


@dataclass
class _Phase:
    """Where the load is, for the message if it stops."""

    name: str = "start"


async def _load_steps(ctx: Context, plan: DemoPlan, at: _Phase) -> None:
    at.name = "calendar"
    cal = await calendar(ctx)
    at.name = "cases"
    await ctx.phase("社会資源 resources (アソウ)", plan.resources, lambda r: load_resource(ctx, r))
    await ctx.phase("相談受付 persons/cases/consents", plan.cases, lambda c: load_case(ctx, c))
    at.name = "referrals"
    await ctx.phase(
        "つなぎ referrals",
        [c for c in plan.cases if c.referrals],
        lambda c: load_referrals(ctx, c),
    )
    at.name = "programs"
    await _load_programs(ctx, plan)
    at.name = "meetings"
    await run_meetings(ctx, cal)
    at.name = "placements"
    approved = approval_days(ctx, cal)
    await ctx.phase(
        "参加支援 placements",
        [c for c in plan.cases if c.participation and c.participation.placements],
        lambda c: load_placements(ctx, c, approved[c.key]),
    )
    at.name = "community"
    await ctx.phase(
        "見守り訪問 watch visits", plan.watch_reports, lambda w: load_watch_report(ctx, w)
    )
    await _community(ctx)
    await load_survey(ctx)


async def _load_programs(ctx: Context, plan: DemoPlan) -> None:
    await ctx.phase(
        "アウトリーチ outreach",
        [c for c in plan.cases if c.outreach],
        lambda c: load_outreach(ctx, c),
    )
    await ctx.phase(
        "参加支援 participants",
        [c for c in plan.cases if c.participation],
        lambda c: load_participant(ctx, c),
    )
    await ctx.phase(
        "多機関協働 plans",
        [c for c in plan.cases if c.plan and c.plan.program == "multiagency"],
        lambda c: load_multiagency_plan(ctx, c),
    )
    await _plans_at_meetings(ctx)


async def _community(ctx: Context) -> None:
    """The year's 地域づくり and 支援経過記録, each dated on its own day in the year."""
    plan = ctx.plan
    agency = {c.key: c.agency for c in plan.cases}
    await ctx.phase("見守りネットワーク concerns", plan.concerns, lambda c: load_concern(ctx, c))
    await ctx.phase("支え合い推進会議 councils", plan.councils, lambda c: load_council(ctx, c))
    await ctx.phase("地域づくり activity", plan.activity, lambda a: load_activity(ctx, a))
    await ctx.phase(
        "支援経過記録 records", plan.records, lambda r: load_record(ctx, r, agency[r.case])
    )


async def _verify(
    ctx: Context, options: Options, marker: Path, made: dict[str, int], began: float
) -> Outcome:
    """Wait until indicators has consumed the events, print the comparison, keep it."""
    plan = ctx.plan
    before = summary.Snapshot.of(*ctx.journal.meta["baseline"])
    found = summary.checks(plan)
    _say(ctx.out, "  waiting for indicators to consume the events …")
    after = await _settled(ctx, found, before, options.settle_timeout_s)
    elapsed = time.monotonic() - began
    _report(ctx, made, found, before, after, elapsed)
    record = {
        "seed": plan.seed,
        "fiscal_year": plan.fiscal_year,
        "scale": plan.scale,
        "counts": made,
        "checks": [
            {"label": c.label, "demo": c.expected, "indicators": summary.observed(c, before, after)}
            for c in found
        ],
        "verify": _verify_ids(ctx),
        "api_calls": ctx.http.calls,
        "seconds": round(elapsed, 1),
    }
    differing = summary.mismatches(found, before, after)
    if differing:
        raise DemoError(
            f"indicators differs from the demo on {len(differing)} figure(s) (see above). "
            "Lower: events still on their way, run the same command to check again; higher: "
            "data recorded twice (a step in flight when a run stopped) or loaded by others"
        )
    write_marker(marker, record)
    ctx.journal.discard()
    _say(ctx.out, "  ✓ indicators matches the demo / 指標の集計はデモの件数と一致しました")
    return Outcome("loaded", record)


async def _settled(
    ctx: Context, found: list[summary.Check], before: summary.Snapshot, timeout_s: float
) -> summary.Snapshot:
    """indicators' figures once they match the demo, or as they stand after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        after = summary.Snapshot.of(*await _snapshot_raw(ctx.http, ctx.plan.fiscal_year))
        differing = summary.mismatches(found, before, after)
        # Counts only grow: one already above the demo's will not come back by waiting.
        beyond = [
            c for c in differing if c.additive and summary.observed(c, before, after) > c.expected
        ]
        if not differing or beyond or time.monotonic() > deadline:
            return after
        await asyncio.sleep(1.0)


def _report(
    ctx: Context,
    made: dict[str, int],
    found: list[summary.Check],
    before: summary.Snapshot,
    after: summary.Snapshot,
    elapsed: float,
) -> None:
    out, fy = ctx.out, ctx.plan.fiscal_year
    _say(out, "")
    _say(
        out,
        f"demo summary — {wareki_label(fy)} (FY{fy}), {ctx.http.calls} API calls in {elapsed:.0f}s",
    )
    for kind, n in made.items():
        _say(out, f"  {kind:<22} {n:>9,}")
    _say(out, "")
    _say(out, "demo vs indicators (GET /indicators, /operations as city_official):")
    for line in summary.table(found, before, after):
        _say(out, line)
    _say(
        out,
        f"  (the {made['referrals']} referrals carry the day the demo ran — the referral API "
        f"takes no past date — so indicators counts them in FY{fiscal_year_of(ctx.today)})",
    )
    _say(out, f"  dashboard: {ctx.http.url('indicators', '/dashboard')}?fiscal_year={fy}")


def _verify_ids(ctx: Context) -> dict[str, str]:
    case = next(c for c in ctx.plan.cases if c.household)
    return {"case_id": ctx.id(f"{case.key}.case"), "agency": case.agency}


async def _snapshot_raw(http: Http, fiscal_year: int) -> list[dict[str, Any]]:
    params = {"fiscal_year": fiscal_year}
    indicators = await http.call("indicators", "GET", "/indicators", params=params, actor=CITY)
    operations = await http.call("indicators", "GET", "/operations", params=params, actor=CITY)
    return [indicators.json(), operations.json()]


async def _plans_at_meetings(ctx: Context) -> None:
    """Outreach and participation plans reach meetings as PlanSubmitted events."""
    wanted = {
        ctx.id(f"{c.plan.key}.plan")
        for c in ctx.plan.cases
        if c.plan and c.plan.program != "multiagency"
    }

    async def probe() -> str | None:
        response = await ctx.http.call("meetings", "GET", "/plans", actor=SHAKYO)
        known = {p["plan_id"] for p in response.json()}
        return "ok" if wanted <= known else None

    await poll(probe, f"{len(wanted)} submitted plans to reach meetings")


async def _check_health(http: Http) -> None:
    down = [s for s in SERVICES if not await http.healthy(s)]
    if down:
        raise DemoError(
            f"not answering: {', '.join(f'{s} ({http.url(s)})' for s in down)}; "
            "start the stack first (make up, or .venv/bin/kasane up)"
        )


async def _live_marker(http: Http, marker: dict[str, Any] | None) -> dict[str, Any] | None:
    """The marker, if the stack still holds the case it names."""
    if marker is None:
        return None
    ids = marker.get("verify") or {}
    if not ids.get("case_id") or not await _case_exists(http, ids["case_id"], ids["agency"]):
        return None
    return marker


async def _journal_live(http: Http, journal: Journal, plan: DemoPlan) -> bool:
    """Whether the stack still holds the first case a partial run opened."""
    for case in plan.cases:
        case_id = journal.get(f"{case.key}.case")
        if case_id is not None:
            return await _case_exists(http, case_id, case.agency)
    return True


async def _case_exists(http: Http, case_id: str, agency: str) -> bool:
    # Only the owner gets 200; a case the stack never held answers 404 like any other.
    response = await http.call(
        "intake", "GET", f"/cases/{case_id}", actor=actor_of(agency), ok=(200, 404)
    )
    return response.status_code == 200


def _first(group: BaseExceptionGroup[Exception]) -> Exception:
    error: BaseException = group
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    assert isinstance(error, Exception)
    return error


def _say(out: TextIO, line: str) -> None:
    out.write(line + "\n")
    out.flush()
