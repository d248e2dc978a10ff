"""地域づくり and the city: ふれあいの会 watch-visit reports, 見守りネットワーク concerns,
支え合い推進会議, program activity, the 市民意識調査 result. Each is dated in the demo's year."""

from __future__ import annotations

from kasane_dev.demo.client import CITY, SHAKYO
from kasane_dev.demo.context import Context
from kasane_dev.demo.model import Activity, Concern, Council, WatchReport
from kasane_dev.demo.texts import CONCERN_LOCATION, CONCERN_NOTICED, COUNCIL_NOTES


async def load_watch_report(ctx: Context, report: WatchReport) -> None:
    async def put() -> str:
        # Idempotent per 校区 and month: the same figure again changes nothing.
        await ctx.http.call(
            "community",
            "PUT",
            f"/watch-visits/{report.school_district_code}/{report.month}",
            actor=SHAKYO,
            json={"visits": report.visits},
        )
        return "done"

    await ctx.once(f"wv.{report.school_district_code}.{report.month}", put)


async def load_concern(ctx: Context, concern: Concern) -> None:
    async def post() -> str:
        response = await ctx.http.call(
            "community",
            "POST",
            "/concerns",
            actor=SHAKYO,
            json={
                "school_district_code": concern.school_district_code,
                "reporter_type": concern.reporter_type,
                "urgency": concern.urgency,
                "issue_codes": list(concern.issue_codes),
                "noticed": CONCERN_NOTICED,
                "location": CONCERN_LOCATION,
                "reported_on": concern.reported_on.isoformat(),
            },
        )
        return str(response.json()["concern_id"])

    await ctx.once(concern.key, post)


async def load_council(ctx: Context, council: Council) -> None:
    async def post() -> str:
        # 409: one meeting per 校区 and day, already recorded by a run that stopped.
        await ctx.http.call(
            "community",
            "POST",
            "/support-councils",
            actor=SHAKYO,
            json={
                "school_district_code": council.school_district_code,
                "held_on": council.held_on.isoformat(),
                "participants": council.participants,
                "topic_codes": list(council.topic_codes),
                "notes": COUNCIL_NOTES,
            },
            ok=(201, 409),
        )
        return "done"

    await ctx.once(f"council.{council.school_district_code}.{council.held_on}", post)


async def load_activity(ctx: Context, report: Activity) -> None:
    async def post() -> str:
        # The same month's figures again change nothing (a revision only when they differ).
        await ctx.http.call(
            "community",
            "POST",
            f"/programs/{report.program_code}/activity",
            actor=SHAKYO,
            json={
                "month": report.month,
                "sessions": report.sessions,
                "participants": report.participants,
                **({"component_code": report.component_code} if report.component_code else {}),
            },
        )
        return "done"

    unit = f".{report.component_code}" if report.component_code else ""
    await ctx.once(f"activity.{report.program_code}.{report.month}{unit}", post)


async def load_survey(ctx: Context) -> None:
    async def post() -> str:
        response = await ctx.http.call(
            "indicators",
            "POST",
            "/surveys",
            actor=CITY,
            json={
                "fiscal_year": ctx.plan.fiscal_year,
                "results": [
                    {"question_id": a.question_id, "respondents": a.respondents, "yes": a.yes}
                    for a in ctx.plan.survey
                ],
            },
        )
        return str(response.json()["load_id"])

    await ctx.once("survey", post)
    ctx.journal.save()
