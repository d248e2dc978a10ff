"""地域づくり and the city: ふれあいの会 watch-visit reports, the 市民意識調査 result."""

from __future__ import annotations

from kasane_dev.demo.client import CITY, SHAKYO
from kasane_dev.demo.context import Context
from kasane_dev.demo.model import WatchReport


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
