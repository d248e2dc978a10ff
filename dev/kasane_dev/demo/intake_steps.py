"""intake: persons, households, consultations (opening cases), 本人同意, 終結."""

from __future__ import annotations

from functools import partial
from typing import Any

from kasane.fiscal_year import fiscal_year_bounds
from kasane_dev.demo.client import actor_of
from kasane_dev.demo.context import Context
from kasane_dev.demo.model import Case, CaseRecord, Consultation, Household, Person
from kasane_dev.demo.texts import RECORD_BODY, REOPEN_NOTE


async def load_case(ctx: Context, case: Case) -> None:
    """One case as its agency records it: people, the consultations, consents, 終結."""
    agency = case.agency
    household_id = person_id = None
    if case.household is not None:
        household_id, person_id = await _household(ctx, agency, case.household)
    first, *more = case.consultations
    opening = _consultation(case, first, household_id=household_id, person_id=person_id)
    case_id = await ctx.once(
        f"{case.key}.case", partial(_post_id, ctx, agency, "/consultations", opening, "case_id")
    )
    for n, consultation in enumerate(more, start=2):
        again = _consultation(case, consultation, case_id=case_id, person_id=person_id)
        await ctx.once(
            f"{case.key}.consultation{n}",
            partial(_post_id, ctx, agency, "/consultations", again, "consultation_id"),
        )
    if person_id is not None:
        for key, body in _consents(ctx, case, person_id):
            await ctx.once(
                f"{case.key}.{key}",
                partial(_post_id, ctx, agency, f"/cases/{case_id}/consents", body, "consent_id"),
            )
    if case.closed is not None:
        reason, closed_on = case.closed
        body = {"reason": reason, "closed_on": closed_on.isoformat()}
        await ctx.once(
            f"{case.key}.closed",
            partial(_post_id, ctx, agency, f"/cases/{case_id}/close", body, None, (200, 409)),
        )
    if case.reopened is not None:
        # ケース再開: the note stays in intake; the event carries the reason's code only.
        reason, reopened_on = case.reopened
        body = {"reason": reason, "reopened_on": reopened_on.isoformat(), "note": REOPEN_NOTE}
        await ctx.once(
            f"{case.key}.reopened",
            partial(_post_id, ctx, agency, f"/cases/{case_id}/reopen", body, None, (200, 409)),
        )


async def load_record(ctx: Context, record: CaseRecord, agency: str) -> None:
    """A 支援経過記録 entry, dated when the contact happened (not when it is typed in)."""
    body = {"kind": record.kind, "occurred_at": record.occurred_at.isoformat(), "body": RECORD_BODY}
    path = f"/cases/{ctx.id(f'{record.case}.case')}/records"
    await ctx.once(record.key, partial(_post_id, ctx, agency, path, body, "record_id"))


async def _household(ctx: Context, agency: str, household: Household) -> tuple[str, str]:
    ids = {}
    for member in household.members:
        ids[member.person.key] = await _person(ctx, agency, member.person)
    body = {
        "members": [
            {
                "person_id": ids[m.person.key],
                "relationship": m.relationship,
                "care_role": m.care_role,
            }
            for m in household.members
        ]
    }
    household_id = await ctx.once(
        f"{household.key}.household",
        partial(_post_id, ctx, agency, "/households", body, "household_id"),
    )
    return household_id, ids[household.primary.key]


def _consents(ctx: Context, case: Case, person_id: str) -> list[tuple[str, dict[str, Any]]]:
    """本人同意: one for つなぎ (named agencies and programs); one for the 重層的支援会議,
    valid to the end of the fiscal year (年度末まで)."""
    found: list[tuple[str, dict[str, Any]]] = []
    if case.consent_on is not None and case.referrals:
        scope = {"agencies": list(case.consent_agencies), "programs": list(case.consent_programs)}
        found.append(
            (
                "consent",
                {
                    "person_id": person_id,
                    "scope": scope,
                    "method": "written",
                    "consented_on": case.consent_on.isoformat(),
                },
            )
        )
    if case.meeting_consent_on is not None and case.plan is not None:
        _, year_end = fiscal_year_bounds(ctx.plan.fiscal_year)
        found.append(
            (
                "meeting_consent",
                {
                    "person_id": person_id,
                    # kasane.consent: an empty agency list names nobody, so the
                    # consent names the agencies of the plan the meeting will discuss.
                    "scope": {
                        "meeting_types": ["multilayer_meeting"],
                        "programs": [case.plan.program],
                        "agencies": sorted({r.agency_id for r in case.plan.roles}),
                    },
                    "method": "written",
                    "consented_on": case.meeting_consent_on.isoformat(),
                    "expires_on": year_end.isoformat(),
                },
            )
        )
    return found


async def _person(ctx: Context, agency: str, person: Person) -> str:
    body: dict[str, Any] = {
        "name": person.name,
        "kana": person.kana,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "address": person.address,
        "school_district_code": person.school_district_code,
    }
    if person.phone:
        body["phone"] = person.phone

    async def check_then_register() -> str:
        # 重複確認 before 本人登録, as staff do: the keys in a body, never in a URL.
        keys = {k: body[k] for k in ("kana", "birth_date", "address")}
        await ctx.http.call(
            "intake", "POST", "/persons/duplicates", actor=actor_of(agency), json=keys, ok=(200,)
        )
        return await _post_id(ctx, agency, "/persons", body, "person_id")

    return await ctx.once(f"{person.key}.person", check_then_register)


def _consultation(
    case: Case,
    c: Consultation,
    *,
    case_id: str | None = None,
    household_id: str | None = None,
    person_id: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "received_at": c.received_at.isoformat(),
        "issue_codes": list(c.issue_codes),
        "age_band": case.age_band,
        "school_district_code": case.school_district_code,
        "channel": c.channel,
        "consulted_by": c.consulted_by,
        "urgency": c.urgency,
    }
    optional = {
        "case_id": case_id,
        "household_id": household_id if case_id is None else None,
        "person_id": person_id,
        "outcome": c.outcome,
        "narrative": c.narrative,
    }
    body.update({k: v for k, v in optional.items() if v is not None})
    if c.between_systems_reason:
        body["between_systems"] = {"flag": True, "reason": c.between_systems_reason}
    return body


async def _post_id(
    ctx: Context,
    agency: str,
    path: str,
    body: dict[str, Any],
    field: str | None,
    ok: tuple[int, ...] = (201,),
) -> str:
    response = await ctx.http.call("intake", "POST", path, actor=actor_of(agency), json=body, ok=ok)
    return str(response.json()[field]) if field else "done"
