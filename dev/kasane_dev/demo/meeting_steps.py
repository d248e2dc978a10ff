"""多機関協働: the year's calendar and, month by month, the 支援会議 and 重層的支援会議.

Plans are put on the FY's meetings by hand (``POST /meetings/{id}/agenda``): meetings
queues a submitted plan on the next meeting *from today*, which for a past year is a
meeting after it. The 重層的支援会議 consent of the demo cases runs to the end of the fiscal
year, so that automatic queue waits and the item sits on the month the story says.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from kasane.fiscal_year import fiscal_year_of
from kasane.reference.agencies import ServiceName, operators_of
from kasane_dev.demo.client import CONSENT_KNOWN, SHAKYO
from kasane_dev.demo.context import Context
from kasane_dev.demo.model import Case, PlanSpec, SupportItem
from kasane_dev.demo.program_steps import plan_content, roles_json
from kasane_dev.demo.progress import Progress
from kasane_dev.demo.texts import AGENDA_SUMMARY, EVALUATION, GAP_DESCRIPTION, MINUTES


@dataclass(frozen=True)
class MeetingRef:
    meeting_id: str
    meeting_type: str
    day: date
    status: str


def meeting_is_support(meeting: MeetingRef) -> bool:
    return meeting.meeting_type == "support_meeting"


Calendar = dict[tuple[str, int], MeetingRef]

_PLEDGE_LOCK = asyncio.Lock()
_PROGRAM_SERVICE: dict[str, ServiceName] = {
    "participation": "participation",
    "outreach": "outreach",
    "multiagency": "meetings",
}


def _operator(program: str) -> str:
    return operators_of(_PROGRAM_SERVICE[program])[0].id


async def calendar(ctx: Context) -> Calendar:
    """The fiscal year's regular meetings by (type, month index 0 = April)."""
    fy = ctx.plan.fiscal_year
    await ctx.http.call("meetings", "POST", f"/calendar/{fy}", actor=SHAKYO)  # idempotent
    response = await ctx.http.call(
        "meetings", "GET", "/meetings", params={"fiscal_year": fy}, actor=SHAKYO
    )
    found: Calendar = {}
    for m in response.json():
        if m["ad_hoc"] or not m["regular_date"]:
            continue
        month = (date.fromisoformat(m["regular_date"]).month - 4) % 12
        found[(m["type"], month)] = MeetingRef(
            m["meeting_id"], m["type"], date.fromisoformat(m["date"]), m["status"]
        )
    return found


@dataclass(frozen=True)
class Entry:
    """One agenda item of a 重層的支援会議 and what is decided on it."""

    key: str
    kind: str  # plan_appropriateness | plan_evaluation | resource_gap
    action: str  # approve | return | evaluate | gap
    case: Case
    plan: PlanSpec


def multilayer_entries(cases: tuple[Case, ...], month: int) -> list[Entry]:
    found = []
    for case in cases:
        plan = case.plan
        if plan is None:
            continue
        if plan.returned_month == month:
            found.append(Entry(f"{plan.key}.first", "plan_appropriateness", "return", case, plan))
        if plan.month == month:
            found.append(
                Entry(f"{plan.key}.approval", "plan_appropriateness", "approve", case, plan)
            )
            if plan.gap_category:
                found.append(Entry(f"{plan.key}.gap", "resource_gap", "gap", case, plan))
        if plan.evaluation and plan.evaluation.month == month:
            found.append(Entry(f"{plan.key}.evaluation", "plan_evaluation", "evaluate", case, plan))
    return found


def total_steps(ctx: Context) -> int:
    items = len(ctx.plan.support_items)
    items += sum(len(multilayer_entries(ctx.plan.cases, m)) for m in range(12))
    return items + 24  # and the 24 meetings themselves


async def run_meetings(ctx: Context, cal: Calendar) -> None:
    bar = Progress("会議 meetings (12 months)", total_steps(ctx), ctx.out)
    cases = {c.key: c for c in ctx.plan.cases}
    try:
        for month in range(12):
            support = cal[("support_meeting", month)]
            multilayer = cal[("multilayer_meeting", month)]
            items = [s for s in ctx.plan.support_items if s.month == month]
            entries = multilayer_entries(ctx.plan.cases, month)
            support_work = [partial(_support_item, ctx, support, s, cases[s.case]) for s in items]
            multilayer_work = [partial(_entry, ctx, multilayer, e) for e in entries]
            taking_part = [cases[s.case].agency for s in items]
            taking_part += [_operator(s.escalate_to) for s in items if s.escalate_to]
            await asyncio.gather(
                _meeting(ctx, support, support_work, bar, taking_part),
                _meeting(ctx, multilayer, multilayer_work, bar, []),
            )
    finally:
        ctx.journal.save()
    bar.finish()


async def _meeting(
    ctx: Context,
    meeting: MeetingRef,
    work: Sequence[Callable[[], Awaitable[None]]],
    bar: Progress,
    taking_part: Sequence[str],
) -> None:
    if meeting.status == "held":  # a resumed run: this month is done
        bar.advance(len(work) + 1)
        return
    if work and meeting_is_support(meeting):
        await _annual_pledges(ctx, meeting)
        await ctx.once(f"{meeting.meeting_id}.admitted", partial(_admit, ctx, meeting, taking_part))

    async def one(step: Callable[[], Awaitable[None]]) -> None:
        await step()
        bar.advance()

    await asyncio.gather(*(one(step) for step in work))
    await ctx.http.call(
        "meetings",
        "POST",
        f"/meetings/{meeting.meeting_id}/held",
        json={"held_on": meeting.day.isoformat()},
        ok=(200, 201, 409),  # 409: closed by a run that stopped before noting it
        actor=SHAKYO,
    )
    bar.advance()


async def _annual_pledges(ctx: Context, meeting: MeetingRef) -> None:
    """守秘義務の誓約 (法106条の6), once a fiscal year per invited agency, recorded by 社協
    before the year's first 支援会議 shares a case (one pledge covers the whole year)."""
    year = fiscal_year_of(meeting.day)

    async def record() -> str:
        members = await ctx.http.call(
            "meetings", "GET", f"/meetings/{meeting.meeting_id}/members", actor=SHAKYO
        )
        pledged_on = (meeting.day - timedelta(days=7)).isoformat()
        await asyncio.gather(
            *(
                ctx.http.call(
                    "meetings",
                    "POST",
                    "/pledges",
                    json={"agency_id": m["agency_id"], "pledged_on": pledged_on},
                    ok=(201, 409),  # 409: recorded already (a resumed run)
                    actor=SHAKYO,
                )
                for m in members.json()
                if m["source"] == "default" and m.get("pledged_on") is None
            )
        )
        return "done"

    # Two 支援会議 of a month run side by side with others: one recording per year.
    async with _PLEDGE_LOCK:
        await ctx.once(f"pledges.{year}", record)


async def _admit(ctx: Context, meeting: MeetingRef, agencies: Sequence[str]) -> str:
    """社協 decides who takes part in this 支援会議: the agencies presenting its cases and the
    operators of the programs a case may be escalated to."""
    await ctx.http.call(
        "meetings",
        "POST",
        f"/meetings/{meeting.meeting_id}/admissions",
        json={"agency_ids": sorted(set(agencies))},
        actor=SHAKYO,
    )
    return "done"


async def _add_item(ctx: Context, meeting: MeetingRef, key: str, body: dict[str, Any]) -> str:
    async def add() -> str:
        response = await ctx.http.call(
            "meetings",
            "POST",
            f"/meetings/{meeting.meeting_id}/agenda",
            json=body,
            ok=(201, 409),
            wait=CONSENT_KNOWN,  # the case's consent reaches meetings through an event
            actor=SHAKYO,
        )
        if response.status_code == 201:
            return str(response.json()["agenda_item_id"])
        # Added by a run that stopped before noting it: find it on the agenda.
        return await _item_on_agenda(ctx, meeting, body, response.text)

    return await ctx.once(f"{key}.item", add)


async def _item_on_agenda(
    ctx: Context, meeting: MeetingRef, body: dict[str, Any], refusal: str
) -> str:
    detail = await ctx.http.call("meetings", "GET", f"/meetings/{meeting.meeting_id}", actor=SHAKYO)
    for item in detail.json().get("items") or []:
        same = all(item.get(k) == body.get(k) for k in ("case_id", "kind", "plan_id"))
        if same and item.get("agenda_item_id"):
            return str(item["agenda_item_id"])
    raise RuntimeError(f"agenda item refused and not found: {refusal}")


async def _decide(
    ctx: Context, meeting: MeetingRef, key: str, item: str, body: dict[str, Any]
) -> str:
    async def decide() -> str:
        response = await ctx.http.call(
            "meetings",
            "POST",
            f"/meetings/{meeting.meeting_id}/decisions",
            json={"agenda_item_id": item, **body},
            ok=(201, 409),  # 409: decided by a run that stopped before noting it
            actor=SHAKYO,
        )
        return str(response.json().get("decision_id", "done"))

    return await ctx.once(f"{key}.decision", decide)


async def _support_item(ctx: Context, meeting: MeetingRef, s: SupportItem, case: Case) -> None:
    item = await _add_item(
        ctx,
        meeting,
        s.key,
        {
            "case_id": ctx.id(f"{case.key}.case"),
            "kind": s.kind,
            "presenting_agency_id": case.agency,
            "summary": AGENDA_SUMMARY,
        },
    )
    body: dict[str, Any] = {"outcome": s.outcome, "minutes": MINUTES}
    if s.escalate_to:
        body["escalate_to"] = s.escalate_to
    await _decide(ctx, meeting, s.key, item, body)


async def _entry(ctx: Context, meeting: MeetingRef, e: Entry) -> None:
    body: dict[str, Any] = {
        "case_id": ctx.id(f"{e.case.key}.case"),
        "kind": e.kind,
        "presenting_agency_id": e.case.agency if e.plan.program == "multiagency" else None,
    }
    if e.kind != "resource_gap":
        body["plan_id"] = ctx.id(f"{e.plan.key}.plan")
    body = {k: v for k, v in body.items() if v is not None}
    item = await _add_item(ctx, meeting, e.key, body)
    review_on = (meeting.day + timedelta(days=90)).isoformat()
    decision: dict[str, Any]
    if e.action == "approve":
        decision = {"outcome": "approve", "minutes": MINUTES, "next_review_on": review_on}
        if e.plan.program != "multiagency":  # the plan's roles are decided at the meeting
            decision["roles"] = roles_json(e.plan)
    elif e.action == "return":
        decision = {"outcome": "return", "reason_code": e.plan.return_reason}
    elif e.action == "gap":
        decision = {
            "outcome": "gap",
            "gaps": [
                {
                    "category_code": e.plan.gap_category,
                    "school_district_code": e.case.school_district_code,
                    "description": GAP_DESCRIPTION,
                }
            ],
        }
    else:
        ev = e.plan.evaluation
        assert ev is not None
        decision = {"outcome": ev.result, "evaluation": EVALUATION}
        if ev.result == "end":
            decision |= {"end_kind": ev.end_kind, "reason_code": ev.reason_code}
        else:
            decision["next_review_on"] = review_on
    await _decide(ctx, meeting, e.key, item, decision)
    if e.action == "return":
        await _resubmit(ctx, e)


async def _resubmit(ctx: Context, e: Entry) -> None:
    """A returned 多機関協働 plan, revised and submitted again for a later meeting."""
    plan_id = ctx.id(f"{e.plan.key}.plan")

    async def again() -> str:
        content = plan_content(e.case, e.plan, ctx.today + timedelta(days=180))
        path = f"/plans/{plan_id}"
        # 409: revised and submitted by a run that stopped before noting it.
        revised = await ctx.http.call(
            "meetings", "PUT", path, json=content, actor=SHAKYO, ok=(200, 409)
        )
        if revised.status_code == 200:
            await ctx.http.call("meetings", "POST", f"{path}/submit", actor=SHAKYO)
        return "done"

    await ctx.once(f"{e.plan.key}.resubmitted", again)


def approval_days(ctx: Context, cal: Calendar) -> dict[str, date]:
    """Each plan's approval date: its 重層的支援会議's day."""
    return {c.key: cal[("multilayer_meeting", c.plan.month)].day for c in ctx.plan.cases if c.plan}
