"""One household's year across every service, on the real broker and database.

A 見守りネットワーク concern → a consultation at the 地域包括支援センター (8050: mother 81, son
52) → the 支援会議 shares the case without consent → the son consents → a referral to the
障害者基幹相談支援センター → a 重層的支援会議 approves a 多機関協働 plan with roles, an outreach
plan and a participation plan → a placement at a 居場所 → evaluation and 終結. Then the
indicators count exactly what happened, and the son's 開示請求 log shows every access to the
household's personal data in intake, and nothing else.

Runs in a pytest session of its own (see the Makefile), so every figure is this story's.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from kasane.clock import Clock
from kasane.fiscal_year import fiscal_year_of
from kasane.settings import Settings
from tests.conftest import ServiceStarter
from tests.e2e.story_steps import (
    ASO,
    AUDITOR,
    CITY,
    HOUKATSU,
    KIKAN,
    SHAKYO,
    STRANGER,
    Auth,
    approve,
    ok,
    queued_item,
    status_of,
    until_granted,
    until_ok,
)
from tests.integration.helpers import eventually

pytestmark = pytest.mark.e2e

DISTRICT = "12"
JST = timezone(timedelta(hours=9))


async def test_a_household_across_every_service(
    services: ServiceStarter, auth: Auth, settings: Settings
) -> None:
    intake, referral, participation = (
        await services("intake"),
        await services("referral"),
        await services("participation"),
    )
    community, outreach, meetings, indicators = (
        await services("community"),
        await services("outreach"),
        await services("meetings"),
        await services("indicators"),
    )
    today = Clock().today()  # Japan's date: every step of the story happens today
    moments_ago = datetime.now(JST).replace(microsecond=0) - timedelta(minutes=1)
    fy = fiscal_year_of(today)
    log: list[tuple[str, str, str]] = []  # intake accesses touching the son, in order

    # 1. 見守りネットワーク: a shop notices newspapers piling up (details stay in community).
    concern = await ok(
        await community.client.post(
            "/concerns",
            headers=auth(*SHAKYO),
            json={
                "school_district_code": DISTRICT,
                "reporter_type": "business",
                "urgency": "urgent",
                "issue_codes": ["elderly_care", "isolation"],
                "noticed": "新聞がたまっている",
                "location": "○○町3丁目の角の家",
            },
        ),
        201,
    )
    concern_id = str(concern["concern_id"])

    # 2. It waits in the 地域包括支援センター's queue; the counselor visits and registers them.
    async def queue() -> list[str]:
        body = await ok(await intake.client.get("/queue", headers=auth(*HOUKATSU)))
        return [item["concern_id"] for item in body["items"]]

    await eventually(queue, lambda q: concern_id in q)
    mother = (
        await ok(
            await intake.client.post(
                "/persons",
                headers=auth(*HOUKATSU),
                json={
                    "name": "久留米 トメ",
                    "kana": "くるめ とめ",
                    "birth_date": "1944-04-02",
                    "sex": "female",
                    "address": "久留米市○○町三丁目一番地",
                    "school_district_code": DISTRICT,
                },
            ),
            201,
        )
    )["person_id"]
    son = (
        await ok(
            await intake.client.post(
                "/persons",
                headers=auth(*HOUKATSU),
                json={
                    "name": "久留米 一郎",
                    "kana": "クルメ イチロウ",
                    "birth_date": "1973-09-15",
                    "sex": "male",
                    "address": "久留米市○○町3-1",
                    "school_district_code": DISTRICT,
                },
            ),
            201,
        )
    )["person_id"]
    log.append(("houkatsu-03", "create", "allowed"))
    household = (
        await ok(
            await intake.client.post(
                "/households",
                headers=auth(*HOUKATSU),
                json={
                    "members": [
                        {"person_id": son, "relationship": "self", "care_role": "cared_for"},
                        {"person_id": mother, "relationship": "parent", "care_role": "carer"},
                    ]
                },
            ),
            201,
        )
    )["household_id"]
    log += [("houkatsu-03", "link", "allowed"), ("houkatsu-03", "create", "allowed")]
    created = await ok(
        await intake.client.post(
            "/consultations",
            headers=auth(*HOUKATSU),
            json={
                "received_at": moments_ago.isoformat(),
                "issue_codes": ["elderly_care", "hikikomori", "8050"],
                "age_band": "50-59",
                "school_district_code": DISTRICT,
                "channel": "watch_network",
                "consulted_by": "resident",
                "household_id": household,
                "person_id": son,
                "concern_id": concern_id,
                "narrative": "母の介護を一人で担う息子が二十年近く外出していない。",
            },
        ),
        201,
    )
    case_id = created["case_id"]
    log += [("houkatsu-03", "link", "allowed")] * 2 + [("houkatsu-03", "create", "allowed")]
    assert concern_id not in await queue()

    # 3. 支援会議 (法106条の6): shared without consent, among the members 社協 admits to the
    #    meeting who pledged confidentiality for the fiscal year.
    support = (
        await ok(
            await meetings.client.post(
                "/meetings",
                headers=auth(*SHAKYO),
                json={"type": "support_meeting", "date": today.isoformat()},
            ),
            201,
        )
    )["meeting_id"]
    await ok(
        await meetings.client.post(
            "/pledges", headers=auth(*SHAKYO), json={"agency_id": "kikan-01"}
        ),
        201,
    )
    await ok(
        await meetings.client.post(
            f"/meetings/{support}/admissions",
            headers=auth(*SHAKYO),
            json={"agency_ids": ["kikan-01"]},
        ),
        200,
    )
    item = await ok(
        await meetings.client.post(
            f"/meetings/{support}/agenda",
            headers=auth(*SHAKYO),
            json={
                "case_id": case_id,
                "kind": "information_sharing",
                "summary": "母（81）の介護負担と息子の長期のひきこもり",
            },
        ),
        201,
    )
    assert item["legal_basis"] == "support_meeting"
    await ok(
        await meetings.client.post(
            f"/meetings/{support}/decisions",
            headers=auth(*SHAKYO),
            json={"agenda_item_id": item["agenda_item_id"], "outcome": "share"},
        ),
        201,
    )
    # Wait for intake to learn the grant without calling its API: every call is audited, and
    # the log below must hold exactly the story's accesses.
    await until_granted(intake.dsn, case_id, "kikan-01", "meeting")
    assert await status_of(intake, auth, KIKAN, f"/cases/{case_id}") == 200
    log.append(("kikan-01", "read", "allowed"))
    assert await status_of(intake, auth, STRANGER, f"/cases/{case_id}") == 404
    log.append(("kodomo", "read", "denied"))

    # 4. The son consents to sharing with the agencies and programs of his plan.
    consent = await ok(
        await intake.client.post(
            f"/cases/{case_id}/consents",
            headers=auth(*HOUKATSU),
            json={
                "person_id": son,
                "method": "written",
                "consented_on": today.isoformat(),
                "scope": {
                    "agencies": ["kikan-01", "shakyo", "aso"],
                    "programs": ["multiagency", "outreach", "participation"],
                    "meeting_types": ["multilayer_meeting"],
                },
            },
        ),
        201,
    )
    log.append(("houkatsu-03", "create", "allowed"))

    # 5. つなぎ to the 障害者基幹相談支援センター, on that consent.
    to_kikan = await until_ok(
        referral,
        auth,
        HOUKATSU,
        "POST",
        "/referrals",
        {"case_id": case_id, "to_agency": "kikan-01", "reason_codes": ["hikikomori"]},
    )
    await ok(
        await referral.client.post(
            f"/referrals/{to_kikan['referral_id']}/accept", headers=auth(*KIKAN)
        )
    )
    fetched = await ok(
        await referral.client.get(f"/referrals/{to_kikan['referral_id']}", headers=auth(*KIKAN))
    )
    assert fetched["legal_basis"] == "consent"
    assert fetched["consent_id"] == consent["consent_id"]

    # 6. 重層的支援会議 (with consent): a 多機関協働 plan with roles is approved.
    multilayer = (
        await ok(
            await meetings.client.post(
                "/meetings",
                headers=auth(*SHAKYO),
                json={"type": "multilayer_meeting", "date": today.isoformat()},
            ),
            201,
        )
    )["meeting_id"]
    plan = await until_ok(
        meetings,
        auth,
        SHAKYO,
        "POST",
        "/plans",
        {
            "case_id": case_id,
            "household_wishes": "母の介護を続けながら、息子が少しずつ外に出られるようになりたい",
            "issues": [{"issue_code": "8050"}, {"issue_code": "hikikomori"}],
            "long_term_goal": "世帯が地域の中で安心して暮らし続ける",
            "short_term_goals": ["母の介護サービスの利用開始", "息子が居場所に参加"],
            "roles": [
                {"agency_id": "houkatsu-03", "role_code": "elderly_care", "lead": True},
                {"agency_id": "kikan-01", "role_code": "disability_support"},
            ],
            "review_on": (today + timedelta(days=90)).isoformat(),
        },
    )
    assert plan["queued_meeting_id"] == multilayer
    multiagency_plan = plan["plan_id"]
    await approve(meetings, auth, multilayer, plan["agenda_item_id"])
    # The role lets kikan-01 work the case in intake (its 支援経過記録), a stranger still not.
    await until_granted(intake.dsn, case_id, "kikan-01", "plan")
    assert await status_of(intake, auth, KIKAN, f"/cases/{case_id}/records") == 200
    log.append(("kikan-01", "read", "allowed"))
    await ok(
        await intake.client.post(
            f"/cases/{case_id}/records",
            headers=auth(*KIKAN),
            json={
                "kind": "visit",
                "occurred_at": moments_ago.isoformat(),
                "body": "自宅訪問。本人と玄関先で話せた。",
            },
        ),
        201,
    )
    log.append(("kikan-01", "create", "allowed"))
    assert await status_of(intake, auth, STRANGER, f"/cases/{case_id}") == 404
    log.append(("kodomo", "read", "denied"))

    # 7. アウトリーチ: a target linked to the case, contact, an outreach plan, approved.
    target = (
        await ok(
            await outreach.client.post(
                "/targets",
                headers=auth(*SHAKYO),
                json={
                    "source": "agency",
                    "description": "○○町3丁目、息子が長年外出していない世帯",
                    "school_district_code": DISTRICT,
                    "visit_interval_days": 14,
                },
            ),
            201,
        )
    )["target_id"]
    got = await outreach.client.get(f"/targets/{target}", headers=auth(*SHAKYO))
    linked = await outreach.client.patch(
        f"/targets/{target}",
        json={"case_id": case_id},
        headers={**auth(*SHAKYO), "If-Match": got.headers["etag"]},
    )
    await ok(linked)
    await ok(
        await outreach.client.post(
            f"/targets/{target}/contacts",
            headers=auth(*SHAKYO),
            json={
                "contact_id": str(uuid.uuid4()),
                "method": "visit",
                "result": "talked",
                "attempted_on": today.isoformat(),
            },
        ),
        201,
    )
    outreach_plan = await ok(
        await outreach.client.post(
            f"/targets/{target}/plans",
            headers=auth(*SHAKYO),
            json={
                "goals": ["週1回の訪問を続ける"],
                "wishes": "無理のない範囲で話をしたい",
                "review_on": (today + timedelta(days=60)).isoformat(),
            },
        ),
        201,
    )
    outreach_plan_id = str(outreach_plan.get("plan_id") or outreach_plan["id"])
    await approve(
        meetings, auth, multilayer, await queued_item(meetings, auth, multilayer, outreach_plan_id)
    )

    # 8. 参加支援: referral into the program, enrolment, plan, approval, a 居場所 placement.
    ibasho = (
        await ok(
            await community.client.post(
                "/resources",
                headers=auth(*SHAKYO),
                json={
                    "organization": {"name": "NPO法人 ひだまり"},
                    "service": {"name": "居場所ひだまり", "category": "ibasho"},
                    "location": {"name": "ひだまりハウス", "school_district_code": DISTRICT},
                    "eligibility": {"age_min": 18},
                    "capacity": 10,
                },
            ),
            201,
        )
    )["id"]
    to_aso = await until_ok(
        referral,
        auth,
        HOUKATSU,
        "POST",
        "/referrals",
        {"case_id": case_id, "to_program": "participation", "reason_codes": ["hikikomori"]},
    )
    await ok(
        await referral.client.post(f"/referrals/{to_aso['referral_id']}/accept", headers=auth(*ASO))
    )

    async def enrolled() -> list[dict[str, Any]]:
        rows = await ok(await participation.client.get("/participants", headers=auth(*ASO)))
        return [r for r in rows if str(r["case_id"]) == case_id]

    [participant] = await eventually(enrolled, lambda found: len(found) == 1)
    participant_id = str(participant["participant_id"])
    participation_plan = (
        await ok(
            await participation.client.post(
                f"/participants/{participant_id}/plans",
                headers=auth(*ASO),
                json={
                    "wishes": "家族以外の人と話したい",
                    "goals": "週1回居場所に通う",
                    "steps": [{"stage": "outing"}, {"stage": "ibasho"}],
                },
            ),
            201,
        )
    )["id"]
    await approve(
        meetings,
        auth,
        multilayer,
        await queued_item(meetings, auth, multilayer, str(participation_plan)),
    )
    placement = await until_ok(
        participation,
        auth,
        ASO,
        "POST",
        f"/participants/{participant_id}/placements",
        {"resource_id": ibasho, "started_on": today.isoformat()},
    )
    await ok(
        await participation.client.post(
            f"/participants/{participant_id}/steps",
            headers=auth(*ASO),
            json={"stage": "ibasho", "reached_on": today.isoformat(), "note": "初めて参加した"},
        ),
        201,
    )
    await ok(
        await participation.client.post(
            f"/participants/{participant_id}/placements/{placement['id']}/end",
            headers=auth(*ASO),
            json={"ended_on": today.isoformat(), "outcome_code": "next_step"},
        )
    )
    await ok(
        await participation.client.post(
            f"/participants/{participant_id}/end",
            headers=auth(*ASO),
            json={"ended_on": today.isoformat(), "outcome_code": "connected_to_community"},
        )
    )
    await ok(
        await meetings.client.post(f"/meetings/{multilayer}/held", headers=auth(*SHAKYO), json={})
    )

    # 9. Evaluation and 終結 of the 多機関協働 plan at a later 重層的支援会議; the case closes.
    review = (
        await ok(
            await meetings.client.post(
                "/meetings",
                headers=auth(*SHAKYO),
                json={"type": "multilayer_meeting", "date": today.isoformat()},
            ),
            201,
        )
    )["meeting_id"]
    await ok(
        await meetings.client.post(
            f"/meetings/{review}/agenda",
            headers=auth(*SHAKYO),
            json={"case_id": case_id, "kind": "plan_evaluation", "plan_id": multiagency_plan},
        ),
        201,
    )
    await ok(
        await meetings.client.post(
            f"/plans/{multiagency_plan}/evaluation",
            headers=auth(*SHAKYO),
            json={
                "meeting_id": review,
                "result": "end",
                "end_kind": "completed",
                "reason_code": "goals_achieved",
                "evaluation": "息子が居場所に通い始め、母の負担も軽減",
            },
        ),
        201,
    )
    # The plan's roles end with it: kikan-01 keeps only its referral's view, not the timeline.
    await until_granted(intake.dsn, case_id, "kikan-01", "plan", live=False)
    assert await status_of(intake, auth, KIKAN, f"/cases/{case_id}/records") == 404
    log.append(("kikan-01", "read", "denied"))
    sheet = await intake.client.get(f"/cases/{case_id}/sheet", headers=auth(*HOUKATSU))
    assert sheet.status_code == 200 and "久留米 一郎" in sheet.text
    log.append(("houkatsu-03", "print", "allowed"))
    await ok(
        await intake.client.post(
            f"/cases/{case_id}/close",
            headers=auth(*HOUKATSU),
            json={"reason": "resolved", "closed_on": today.isoformat()},
        )
    )
    log.append(("houkatsu-03", "close", "allowed"))

    # 10. The indicators count exactly what happened (this session holds only this story).
    expected = {
        "plans_multiagency": 1,
        "plans_outreach": 1,
        "plans_participation": 1,
        "jiritsu_new_consultations": 0,
        "watch_visits": 0,
    }

    async def actuals() -> dict[str, Any]:
        body = await ok(
            await indicators.client.get(
                "/indicators", params={"fiscal_year": fy}, headers=auth(*CITY)
            )
        )
        return {row["id"]: row["actual"] for row in body["indicators"] if row["id"] in expected}

    assert await eventually(actuals, lambda found: found == expected) == expected
    counts = await ok(
        await indicators.client.get(
            "/indicators/consultations", params={"fiscal_year": fy}, headers=auth(*CITY)
        )
    )
    assert counts == {"fiscal_year": fy, "total": 1, "by_agency": {"houkatsu-03": 1}}
    traced = await ok(
        await indicators.client.get(
            "/indicators/plans_multiagency/trace", params={"fiscal_year": fy}, headers=auth(*CITY)
        )
    )
    assert traced["event_count"] == 1

    # 11. The son's 開示請求: every access to the household's data in intake, nothing else.
    access = await ok(
        await intake.client.get(
            f"/persons/{son}/access-log", params={"limit": 500}, headers=auth(*AUDITOR)
        )
    )
    seen = [(row["actor_agency"], row["action"], row["outcome"]) for row in access["items"]]
    assert seen == log
