"""Packs that carry the meeting, and the 議事録 with attendance, on the real stack.

世帯概要 reaches meetings through intake's events (ConsultationReceived, CaseClassified on
the intake topic), an agenda item shows it with Japanese labels to those who may see the
item, a 支援会議 member without a pledge sees nothing of it (refusal audited), and a held
meeting's minutes list every member present or absent with each item's labelled decision.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from kasane.events.intake import CaseClassified, ConsultationReceived
from kasane.events.participation import PlanSubmitted as ParticipationPlanSubmitted
from kasane.ids import uuid7
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.meetings.support import (
    SHAKYO,
    Auth,
    ad_hoc,
    add_item,
    admit,
    consent,
    envelope,
    fetchval,
    plan_body,
    pledge,
    publish,
)

pytestmark = pytest.mark.integration

Day = Callable[..., date]


def _consultation(case_id: UUID, received: datetime, **overrides: Any) -> ConsultationReceived:
    fields: dict[str, Any] = {
        "consultation_id": uuid7(),
        "case_id": case_id,
        "agency_id": "jiritsu",
        "received_at": received,
        "channel": "in_person",
        "issue_codes": ["8050", "hikikomori"],
        "age_band": "50-59",
        "school_district_code": "03",
        "is_complex": True,
        "household_situations": ["8050"],
        "household_size_band": "2",
    }
    fields.update(overrides)
    return ConsultationReceived(**fields)


async def _profile_row(meetings: RunningService, case_id: UUID, column: str) -> Any:
    return await fetchval(
        meetings.dsn, f"SELECT {column} FROM case_profiles WHERE case_id = $1", case_id
    )


async def _denied(meetings: RunningService, record_type: str, record_id: str) -> int:
    return int(
        await fetchval(
            meetings.dsn,
            "SELECT count(*) FROM access_audit WHERE record_type = $1 AND record_id = $2"
            " AND outcome = 'denied'",
            record_type,
            record_id,
        )
    )


async def test_support_meeting_item_carries_the_case_summary_only_with_the_pledge(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    case_id = uuid7()
    now = datetime(today.year, today.month, today.day, 1, tzinfo=UTC)
    # Two consultations, the older one entered last: the newer age band and household stay,
    # the codes of both join; then intake's classification is the whole list.
    await publish(settings, "intake", envelope("intake", _consultation(case_id, now)))
    await eventually(
        lambda: _profile_row(meetings, case_id, "age_band"), lambda found: found == "50-59"
    )
    older = _consultation(
        case_id,
        now - timedelta(days=30),
        issue_codes=["poverty"],
        age_band="40-49",
        household_situations=[],
        household_size_band="1",
    )
    await publish(settings, "intake", envelope("intake", older))
    await eventually(
        lambda: _profile_row(meetings, case_id, "issue_codes"),
        lambda found: found == ["8050", "hikikomori", "poverty"],
    )
    assert await _profile_row(meetings, case_id, "age_band") == "50-59"
    assert await _profile_row(meetings, case_id, "household_size_band") == "2"
    classified = CaseClassified(
        case_id=case_id,
        issue_codes=["8050", "hikikomori", "poverty", "isolation"],
        is_complex=True,
        between_systems=True,
    )
    await publish(settings, "intake", envelope("intake", classified))
    await eventually(
        lambda: _profile_row(meetings, case_id, "between_systems"), lambda found: found is True
    )

    meeting = await ad_hoc(meetings, auth, "support_meeting", today)
    added = await add_item(meetings, auth, meeting, case_id, "information_sharing")
    assert added.status_code == 201, added.text

    # Admitted and pledged: the item shows 年代, 校区 name, household and issue labels.
    await admit(meetings, auth, meeting, "kodomo", "houkatsu-03")
    await pledge(meetings, auth, "kodomo", today)
    detail = await meetings.client.get(f"/meetings/{meeting}", headers=auth("kodomo", "counselor"))
    assert detail.status_code == 200, detail.text
    [item] = detail.json()["items"]
    profile = item["profile"]
    assert profile["age_band_label"] == "50代"
    assert profile["school_district_name"] == "校区03"
    assert [i["label"] for i in profile["issues"]] == [
        "8050",
        "ひきこもり",
        "生活困窮",
        "社会的孤立",
    ]
    assert profile["between_systems"] is True
    assert profile["household"]["situations"] == [{"code": "8050", "label": "8050"}]
    assert profile["household"]["size_band_label"] == "2人"
    pack = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth("kodomo", "counselor")
    )
    assert pack.status_code == 200, pack.text
    for text in ("50代", "校区03", "8050（世帯人数 2人）", "ひきこもり", "制度の狭間"):
        assert text in pack.text, text

    # Admitted without a pledge (houkatsu-03 has none for a year this far ahead): the item
    # shows no summary at all, the pack and the minutes are refused, each refusal audited.
    unpledged = auth("houkatsu-03", "counselor")
    hidden = await meetings.client.get(f"/meetings/{meeting}", headers=unpledged)
    [hidden_item] = hidden.json()["items"]
    assert hidden_item["visible"] is False and hidden_item["profile"] is None
    assert hidden_item["case_id"] is None
    for route, record_type in (("pack", "meeting_pack"), ("minutes", "meeting_minutes")):
        before = await _denied(meetings, record_type, meeting)
        refused = await meetings.client.get(f"/meetings/{meeting}/{route}", headers=unpledged)
        assert refused.status_code == 403, route
        assert refused.json()["errors"][0]["field"] == "pledge"
        assert await _denied(meetings, record_type, meeting) == before + 1


async def test_minutes_with_attendance_decisions_roles_and_gaps(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    await consent(
        settings, meetings, case_id, consented_on=today, agencies=("shakyo", "houkatsu-03")
    )
    placed = await meetings.client.put(
        f"/meetings/{meeting}/place",
        json={"place": "総合福祉会館 第1会議室"},
        headers=auth(*SHAKYO),
    )
    assert placed.status_code == 200 and placed.json()["place"] == "総合福祉会館 第1会議室"
    bad_place = await meetings.client.put(
        f"/meetings/{meeting}/place", json={"place": "一行目\n二行目"}, headers=auth(*SHAKYO)
    )
    assert bad_place.status_code == 422 and bad_place.json()["errors"][0]["field"] == "place"
    created = await meetings.client.post(
        "/plans", json=plan_body(case_id, today + timedelta(days=90)), headers=auth(*SHAKYO)
    )
    assert created.status_code == 201 and created.json()["queued_meeting_id"] == meeting
    gap_item = await add_item(meetings, auth, meeting, case_id, "resource_gap")
    assert gap_item.status_code == 201, gap_item.text

    # Before closing: draft minutes, attendance not recorded.
    draft = await meetings.client.get(f"/meetings/{meeting}/minutes", headers=auth(*SHAKYO))
    assert draft.status_code == 200, draft.text
    assert draft.json()["final"] is False
    assert all(a["present"] is None for a in draft.json()["attendance"])
    # The agenda shows the queued plan with its goals and roles.
    detail = await meetings.client.get(f"/meetings/{meeting}", headers=auth(*SHAKYO))
    plan_item, gap_entry = detail.json()["items"]
    assert plan_item["plan"]["content"]["short_term_goals"][0] == "母の介護サービスの利用開始"

    review_on = today + timedelta(days=60)
    approved = await meetings.client.post(
        f"/meetings/{meeting}/decisions",
        json={
            "agenda_item_id": plan_item["agenda_item_id"],
            "outcome": "approve",
            "roles": [
                {"agency_id": "aso", "role_code": "participation", "tasks": "居場所の紹介"},
                {"agency_id": "houkatsu-03", "role_code": "elderly_care", "lead": True},
            ],
            "next_review_on": review_on.isoformat(),
        },
        headers=auth(*SHAKYO),
    )
    assert approved.status_code == 201, approved.text
    gap = await meetings.client.post(
        f"/meetings/{meeting}/decisions",
        json={
            "agenda_item_id": gap_entry["agenda_item_id"],
            "outcome": "gap",
            "gaps": [{"category_code": "mobility", "school_district_code": "03"}],
        },
        headers=auth(*SHAKYO),
    )
    assert gap.status_code == 201, gap.text
    held = await meetings.client.post(
        f"/meetings/{meeting}/held",
        json={"attendee_agency_ids": ["shakyo", "houkatsu-03"]},
        headers=auth(*SHAKYO),
    )
    assert held.status_code == 200, held.text

    minutes = await meetings.client.get(f"/meetings/{meeting}/minutes", headers=auth(*SHAKYO))
    assert minutes.status_code == 200, minutes.text
    body = minutes.json()
    assert body["final"] is True and body["place"] == "総合福祉会館 第1会議室"
    attendance = {a["agency_id"]: a["present"] for a in body["attendance"]}
    assert attendance["shakyo"] is True and attendance["houkatsu-03"] is True
    assert attendance["kodomo"] is False  # invited, did not attend
    assert {a["agency_name"] for a in body["attendance"] if a["agency_id"] == "shakyo"} == {
        "社会福祉法人久留米市社会福祉協議会"
    }
    first, second = body["items"]
    decision = first["decision"]
    assert decision["outcome_label"] == "プラン承認"
    assert decision["next_review_on"] == review_on.isoformat()
    assert [(r["agency_id"], r["lead"]) for r in decision["roles"]] == [
        ("houkatsu-03", True),
        ("aso", False),
    ]
    assert second["decision"]["gaps"] == [
        {"category_code": "mobility", "category_label": "移動・外出の支援"}
    ]
    recorded = await fetchval(
        meetings.dsn,
        "SELECT count(*) FROM meeting_attendance WHERE meeting_id = $1 AND NOT present",
        UUID(meeting),
    )
    assert recorded >= 1

    printed = await meetings.client.get(f"/meetings/{meeting}/minutes.html", headers=auth(*SHAKYO))
    assert printed.status_code == 200 and printed.headers["content-type"].startswith("text/html")
    html = printed.text
    assert "size: A4" in html and "議事録" in html and "令和" in html
    assert "出席" in html and "欠席" in html and "◎ 地域包括支援センター" in html
    assert "移動・外出の支援" in html and "（案）" not in html

    # A member outside the consent's scope reads the minutes without the case detail; the
    # read of each shown item is audited, the hidden one is not shown.
    kodomo = await meetings.client.get(
        f"/meetings/{meeting}/minutes", headers=auth("kodomo", "counselor")
    )
    assert kodomo.status_code == 200
    assert all(not i["visible"] and i["decision"] is None for i in kodomo.json()["items"])
    # City roles get no minutes (case detail); the auditor neither.
    city = await meetings.client.get(
        f"/meetings/{meeting}/minutes", headers=auth("city-chiiki-fukushi", "city_official")
    )
    assert city.status_code == 403


async def test_evaluation_keeps_end_kind_and_reason_in_pack_and_minutes(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id = uuid7()
    await consent(settings, meetings, case_id, consented_on=today, agencies=("shakyo",))
    created = await meetings.client.post(
        "/plans", json=plan_body(case_id, today + timedelta(days=90)), headers=auth(*SHAKYO)
    )
    plan_id = created.json()["plan_id"]
    approved = await meetings.client.post(
        f"/meetings/{meeting}/decisions",
        json={"agenda_item_id": created.json()["agenda_item_id"], "outcome": "approve"},
        headers=auth(*SHAKYO),
    )
    assert approved.status_code == 201, approved.text
    later = day()
    review = await ad_hoc(meetings, auth, "multilayer_meeting", later)
    added = await add_item(meetings, auth, review, case_id, "plan_evaluation", plan_id=plan_id)
    assert added.status_code == 201, added.text
    evaluated = await meetings.client.post(
        f"/plans/{plan_id}/evaluation",
        json={
            "meeting_id": review,
            "result": "end",
            "end_kind": "suspended",
            "reason_code": "moved",
            "evaluation": "市外へ転居したため中断。",
        },
        headers=auth(*SHAKYO),
    )
    assert evaluated.status_code == 201, evaluated.text
    minutes = await meetings.client.get(f"/meetings/{review}/minutes", headers=auth(*SHAKYO))
    [item] = minutes.json()["items"]
    assert item["decision"]["end_kind_label"] == "中断"
    assert item["decision"]["reason_label"] == "転居"
    pack = await meetings.client.get(f"/meetings/{review}/pack", headers=auth(*SHAKYO))
    assert "中断" in pack.text and "転居" in pack.text and "市外へ転居" in pack.text


async def test_participation_plan_queued_with_its_planned_stages_as_goals(
    meetings: RunningService, auth: Auth, day: Day, settings: Settings
) -> None:
    today = day()
    meeting = await ad_hoc(meetings, auth, "multilayer_meeting", today)
    case_id, plan_id = uuid7(), uuid7()
    await consent(settings, meetings, case_id, consented_on=today, agencies=("shakyo", "aso"))
    submitted = ParticipationPlanSubmitted(
        plan_id=plan_id,
        case_id=case_id,
        program="participation",
        submitted_on=today,
        participant_id=uuid7(),
        planned_stages=["ibasho", "work_trial"],
    )
    await publish(settings, "participation", envelope("participation", submitted, agency="aso"))
    queue = await eventually(
        lambda: _queue(meetings, auth),
        lambda found: str(plan_id) in found and found[str(plan_id)]["agenda_item_id"],
    )
    queued = queue[str(plan_id)]
    assert queued["queued_meeting_id"] == meeting
    assert queued["queued_meeting_date"] == today.isoformat()

    detail = await meetings.client.get(f"/meetings/{meeting}", headers=auth("aso", "coordinator"))
    [item] = [i for i in detail.json()["items"] if i["plan_id"] == str(plan_id)]
    assert item["agenda_item_id"] == queued["agenda_item_id"]
    assert item["plan"]["goals"] == [
        {"code": "ibasho", "label": "居場所"},
        {"code": "work_trial", "label": "就労体験"},
    ]
    pack = await meetings.client.get(
        f"/meetings/{meeting}/pack", headers=auth("aso", "coordinator")
    )
    assert "居場所 → 就労体験" in pack.text


async def _queue(meetings: RunningService, auth: Auth) -> dict[str, Any]:
    listed = await meetings.client.get(
        "/plans", params={"status": "submitted"}, headers=auth(*SHAKYO)
    )
    assert listed.status_code == 200, listed.text
    return {p["plan_id"]: p for p in listed.json()}
