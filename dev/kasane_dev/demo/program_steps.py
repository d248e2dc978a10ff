"""つなぎ (referral), アウトリーチ (outreach), 参加支援 (participation), 多機関協働 plans."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from functools import partial
from typing import Any

from kasane.business_days import add_business_days
from kasane.fiscal_year import fiscal_year_bounds
from kasane.reference.partners import is_known_partner
from kasane_dev.demo.client import ASO, CASE_KNOWN, SHAKYO, Actor, actor_of
from kasane_dev.demo.context import Context
from kasane_dev.demo.model import Case, Outreach, Placement, PlanSpec, Resource, Role
from kasane_dev.demo.texts import REFERRAL_NOTE, TARGET_NOTE

PROGRAM_OPERATOR = {"participation": "aso", "outreach": "shakyo", "multiagency": "shakyo"}
_CONTACT_NS = uuid.UUID("6b1f4a52-3f1e-4c3e-9b7a-6b6173616e65")  # namespace of demo contact ids


def referral_days(case: Case, fiscal_year: int) -> tuple[date, date]:
    """(made, accepted): the demo's referrals are made the day the person consents to つなぎ
    and accepted the next business day, both inside the fiscal year whenever they are entered."""
    made = case.referred_on
    return made, min(add_business_days(made, 1), fiscal_year_bounds(fiscal_year)[1])


async def load_referrals(ctx: Context, case: Case) -> None:
    case_id = ctx.id(f"{case.key}.case")
    made, accepted = referral_days(case, ctx.plan.fiscal_year)
    for ref in case.referrals:
        body: dict[str, Any] = {
            "case_id": case_id,
            "reason_codes": list(ref.reason_codes),
            "note": REFERRAL_NOTE,
            "requested_on": made.isoformat(),
        }
        body["to_agency" if ref.to_agency else "to_program"] = ref.to_agency or ref.to_program

        async def request(body: dict[str, Any] = body) -> str:
            # The referral service learns the case and the consent from intake's events.
            response = await ctx.http.call(
                "referral",
                "POST",
                "/referrals",
                actor=actor_of(case.agency),
                json=body,
                wait=CASE_KNOWN,
            )
            return str(response.json()["referral_id"])

        referral_id = await ctx.once(f"{ref.key}.requested", request)
        receiver = ref.to_agency or PROGRAM_OPERATOR[str(ref.to_program)]
        path = f"/referrals/{referral_id}"
        acceptance = {"accepted_on": accepted.isoformat()}
        await ctx.once(
            f"{ref.key}.accepted", partial(_done, ctx, f"{path}/accept", receiver, acceptance)
        )
        if ref.complete:
            outcome = {"outcome_code": "support_started"}
            await ctx.once(
                f"{ref.key}.completed", partial(_done, ctx, f"{path}/complete", receiver, outcome)
            )
        if is_known_partner(receiver):
            await ctx.once(f"{ref.key}.case_read", partial(_partner_reads, ctx, case_id, receiver))


async def _partner_reads(ctx: Context, case_id: str, partner: str) -> str:
    """The 連携機関 reads the case it accepted (``case`` level, audited in intake) while the
    referral is live; 404 until intake has consumed the referral's events."""

    async def probe() -> str | None:
        response = await ctx.http.call(
            "intake", "GET", f"/cases/{case_id}", actor=actor_of(partner), ok=(200, 404)
        )
        return "read" if response.status_code == 200 else None

    return await poll(probe, f"{partner} to read case {case_id}")


async def _done(ctx: Context, path: str, agency: str, body: dict[str, Any] | None) -> str:
    # 409: the transition was made by a run that stopped before noting it.
    await ctx.http.call("referral", "POST", path, actor=actor_of(agency), json=body, ok=(200, 409))
    return "done"


# -- アウトリーチ ----------------------------------------------------------------------


async def load_outreach(ctx: Context, case: Case) -> None:
    o = case.outreach
    assert o is not None
    target = await ctx.once(f"{o.key}.target", partial(_register_target, ctx, case, o))
    await _contacts_and_stages(ctx, o, target)
    if o.plan_submitted_on is None or case.plan is None:
        return
    person = case.household.primary.key if case.household else None
    link = {"case_id": ctx.id(f"{case.key}.case")}
    if person:
        link["person_id"] = ctx.id(f"{person}.person")
    await ctx.once(f"{o.key}.linked", lambda: _patch_target(ctx, target, link))
    await _submit_outreach_plan(ctx, case.plan, target, o.plan_submitted_on)


async def _register_target(ctx: Context, case: Case, o: Outreach) -> str:
    response = await ctx.http.call(
        "outreach",
        "POST",
        "/targets",
        json={
            "source": o.source,
            "description": o.description,
            "school_district_code": case.school_district_code,
            "visit_interval_days": 14,
            "registered_on": o.registered_on.isoformat(),
        },
        actor=SHAKYO,
    )
    return str(response.json()["target_id"])


async def _contacts_and_stages(ctx: Context, o: Outreach, target: str) -> None:
    for contact in o.contacts:
        contact_id = uuid.uuid5(
            _CONTACT_NS, f"{ctx.plan.seed}:{ctx.plan.fiscal_year}:{contact.key}"
        )
        attempt = {
            "contact_id": str(contact_id),
            "method": contact.method,
            "result": contact.result,
            "attempted_on": contact.attempted_on.isoformat(),
            "note": TARGET_NOTE,
        }
        contacts = f"/targets/{target}/contacts"
        await ctx.once(
            f"{contact.key}.contact", partial(_post, ctx, "outreach", contacts, SHAKYO, attempt)
        )
    for stage, changed_on in o.stages:
        change = {"stage": stage, "changed_on": changed_on.isoformat()}
        await ctx.once(f"{o.key}.stage.{stage}", partial(_patch_target, ctx, target, change))


async def _submit_outreach_plan(ctx: Context, plan: PlanSpec, target: str, submitted: date) -> None:
    body = {
        "goals": list(plan.goals),
        "wishes": plan.wishes,
        "submitted_on": submitted.isoformat(),
        "review_on": (submitted + timedelta(days=120)).isoformat(),
    }

    async def submit() -> str:
        path = f"/targets/{target}/plans"
        response = await ctx.http.call(
            "outreach", "POST", path, json=body, actor=SHAKYO, ok=(201, 409)
        )
        if response.status_code == 201:
            return str(response.json()["plan_id"])
        # Submitted by a run that stopped before noting it: the one in progress.
        listed = await ctx.http.call("outreach", "GET", path, actor=SHAKYO)
        return str(listed.json()[-1]["plan_id"])

    await ctx.once(f"{plan.key}.plan", submit)


async def _patch_target(ctx: Context, target: str, body: dict[str, Any]) -> str:
    current = await ctx.http.call("outreach", "GET", f"/targets/{target}", actor=SHAKYO)
    await ctx.http.call(
        "outreach",
        "PATCH",
        f"/targets/{target}",
        actor=SHAKYO,
        json=body,
        headers={"If-Match": current.headers["ETag"]},
    )
    return "done"


async def _post(
    ctx: Context,
    service: str,
    path: str,
    actor: Actor,
    body: dict[str, Any],
    field: str | None = None,
) -> str:
    response = await ctx.http.call(service, "POST", path, json=body, actor=actor)
    return str(response.json()[field]) if field else "done"


# -- 参加支援 --------------------------------------------------------------------------


async def load_resource(ctx: Context, resource: Resource) -> None:
    body = {
        "organization": {"name": resource.organization},
        "service": {"name": resource.name, "category": resource.category},
        "location": {
            "name": resource.name,
            "address": "福岡県久留米市デモ町（架空）",
            "school_district_code": resource.school_district_code,
        },
        "schedules": [
            {
                "byday": resource.byday,
                "opens_at": resource.opens_at,
                "closes_at": resource.closes_at,
            }
        ],
        "eligibility": {"age_min": resource.age_min, "age_max": resource.age_max},
        "capacity": resource.capacity,
    }
    await ctx.once(
        f"{resource.key}.resource",
        lambda: _post(ctx, "participation", "/resources", ASO, body, "resource_id"),
    )


async def load_participant(ctx: Context, case: Case) -> None:
    p = case.participation
    assert p is not None
    referral_id = ctx.id(f"{case.referrals[0].key}.requested")

    async def enrolled() -> str:
        # アソウ's acceptance enrols the participant through the referral event.
        async def probe() -> str | None:
            response = await ctx.http.call(
                "participation", "GET", "/participants", params={"status": "enrolled"}, actor=ASO
            )
            rows = [r for r in response.json() if r.get("referral_id") == referral_id]
            return str(rows[0]["participant_id"]) if rows else None

        return await poll(probe, f"participant of referral {referral_id}")

    participant = await ctx.once(f"{case.key}.participant", enrolled)
    await ctx.once(
        f"{case.key}.profile",
        lambda: _call(
            ctx,
            "PATCH",
            f"/participants/{participant}/profile",
            {"age_band": p.age_band, "school_district_code": p.school_district_code},
        ),
    )
    plan = case.plan
    if plan is None:
        return
    body = {
        "wishes": plan.wishes,
        "goals": "。".join(plan.goals),
        "steps": [{"stage": s} for s in p.steps],
    }

    async def submit() -> str:
        path = f"/participants/{participant}"
        response = await ctx.http.call(
            "participation", "POST", f"{path}/plans", json=body, actor=ASO, ok=(201, 409)
        )
        if response.status_code == 201:
            return str(response.json()["id"])
        # Submitted by a run that stopped before noting it.
        view = await ctx.http.call("participation", "GET", path, actor=ASO)
        return str(view.json()["plans"][-1]["plan_id"])

    await ctx.once(f"{plan.key}.plan", submit)


async def load_placements(ctx: Context, case: Case, approved_on: date) -> None:
    p, plan = case.participation, case.plan
    assert p is not None and plan is not None
    participant = ctx.id(f"{case.key}.participant")

    async def active() -> str | None:
        response = await ctx.http.call(
            "participation", "GET", f"/participants/{participant}", actor=ASO
        )
        return "active" if response.json()["status"] in ("active", "ended") else None

    await poll(active, f"participant {participant} active after PlanApproved")
    last = min(fiscal_year_bounds(ctx.plan.fiscal_year)[1], ctx.today)
    for n, stage in enumerate(p.steps):
        # 段階: the plan's ladder, one rung every three weeks after the approval, in the year.
        step = {"stage": stage, "reached_on": str(min(approved_on + timedelta(weeks=3 * n), last))}
        await ctx.once(f"{case.key}.step{n}", partial(_step, ctx, participant, step))
    for n, placement in enumerate(p.placements):
        await _placement(ctx, case.key, n, participant, placement, approved_on)


async def _step(ctx: Context, participant: str, body: dict[str, Any]) -> str:
    # 409: the participation has ended since (a resumed run); the step is history then.
    path = f"/participants/{participant}/steps"
    await ctx.http.call("participation", "POST", path, json=body, actor=ASO, ok=(201, 409))
    return "done"


async def _placement(
    ctx: Context, key: str, n: int, participant: str, placement: Placement, approved_on: date
) -> None:
    last = min(fiscal_year_bounds(ctx.plan.fiscal_year)[1], ctx.today)
    started = min(approved_on + timedelta(days=placement.start_after_days), last)
    placement_id = await ctx.once(
        f"{key}.placement{n}",
        lambda: _post(
            ctx,
            "participation",
            f"/participants/{participant}/placements",
            ASO,
            {"resource_id": ctx.id(f"{placement.resource}.resource"), "started_on": str(started)},
            "id",
        ),
    )
    if placement.ended_after_days is None:
        return
    ended = min(started + timedelta(days=placement.ended_after_days), last)
    await ctx.once(
        f"{key}.placement{n}.ended",
        lambda: _post(
            ctx,
            "participation",
            f"/participants/{participant}/placements/{placement_id}/end",
            ASO,
            {"ended_on": str(ended), "outcome_code": placement.outcome},
        ),
    )


async def _call(ctx: Context, method: str, path: str, body: dict[str, Any]) -> str:
    await ctx.http.call("participation", method, path, json=body, actor=ASO)
    return "done"


# -- 多機関協働 ------------------------------------------------------------------------


def plan_content(case: Case, plan: PlanSpec, review_on: date) -> dict[str, Any]:
    codes = list(dict.fromkeys(code for c in case.consultations for code in c.issue_codes))
    return {
        "household_wishes": plan.wishes,
        "issues": [{"issue_code": code} for code in codes],
        "long_term_goal": plan.goals[0],
        "short_term_goals": list(plan.goals),
        "roles": [_role(r) for r in plan.roles],
        "review_on": review_on.isoformat(),
    }


def _role(role: Role) -> dict[str, Any]:
    return {"agency_id": role.agency_id, "role_code": role.role_code, "lead": role.lead}


def roles_json(plan: PlanSpec) -> list[dict[str, Any]]:
    return [_role(r) for r in plan.roles]


async def load_multiagency_plan(ctx: Context, case: Case) -> None:
    plan = case.plan
    assert plan is not None
    # The service wants a review date after today; the approval sets the real one.
    body = {
        **plan_content(case, plan, ctx.today + timedelta(days=180)),
        "case_id": ctx.id(f"{case.key}.case"),
        "submit": True,
    }
    await ctx.once(
        f"{plan.key}.plan",
        lambda: _post(ctx, "meetings", "/plans", SHAKYO, body, "plan_id"),
    )


async def poll(probe: Any, what: str, timeout_s: float = 120.0) -> str:
    """Wait for an event's effect to become visible; fail clearly after ``timeout_s``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    delay = 0.2
    while True:
        found = await probe()
        if found is not None:
            return str(found)
        if loop.time() > deadline:
            raise TimeoutError(f"waited {timeout_s:.0f}s for {what}")
        await asyncio.sleep(delay)
        delay = min(delay * 1.5, 2.0)
