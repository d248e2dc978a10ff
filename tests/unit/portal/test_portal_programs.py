"""The outreach and 参加支援 screens' pure rules: the work list's order, the forms read into
service bodies, stale edits recognised."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData

from kasane.auth.principal import Principal
from portal.domain import navigation, outreach, participation
from portal.domain import program_labels as labels
from portal.domain.program_forms import service_errors

TODAY = date(2025, 12, 1)


def test_district_shows_the_name_never_the_code() -> None:
    assert labels.district("08") not in ("08", "")
    assert labels.district(None) == "未設定"


def target(tid: str, registered_on: str, **extra: str) -> dict[str, str]:
    return {"target_id": tid, "stage": "not_contacted", "source": "fureai",
            "status": "open", "registered_on": registered_on, **extra}  # fmt: skip


def test_work_list_puts_the_most_overdue_first_then_next_visits_then_unscheduled() -> None:
    targets = [
        target("none-old", "2025-01-01"),
        target("later", "2025-11-01", assigned_worker="me"),
        target("late-3", "2025-10-01"),
        target("late-10", "2025-10-01"),
        target("ended", "2025-01-01", status="ended"),
    ]
    schedule = {
        "me": [{"target_id": "later", "due_on": "2025-12-05"}],
        "other": [
            {"target_id": "late-3", "due_on": "2025-11-28"},
            {"target_id": "late-10", "due_on": "2025-11-21"},
        ],
    }
    rows = outreach.work_list(targets, schedule, "me", TODAY)
    assert [r.target_id for r in rows] == ["late-10", "late-3", "later", "none-old"]
    assert [r.days_overdue for r in rows] == [10, 3, 0, 0]
    assert rows[2].mine and not rows[0].mine
    assert rows[0].source == "ふれあいの会" and rows[0].stage == "未接触"


def form(*pairs: tuple[str, str]) -> FormData:
    return FormData(list(pairs))


CONTACT_ID = "0198a3f2-0000-7000-8000-000000000001"


def test_contact_form_sends_the_client_made_id_and_an_iso_date_from_wareki() -> None:
    body, errors = outreach.contact_body(
        form(("contact_id", CONTACT_ID), ("method", "phone"), ("result", "talked"),
             ("attempted_on", "令和7年11月30日"), ("note", " 電話で話せた "),
             ("attempted_time", "9：05"), ("place", "自宅"), ("duration_minutes", "15")),
        TODAY,
    )  # fmt: skip
    assert not errors
    assert body == {"contact_id": CONTACT_ID, "method": "phone", "result": "talked",
                    "attempted_on": "2025-11-30", "note": "電話で話せた",
                    "attempted_time": "09:05", "place": "自宅", "duration_minutes": 15}  # fmt: skip


def test_contact_form_names_each_bad_field_in_japanese() -> None:
    _, errors = outreach.contact_body(
        form(("contact_id", "x"), ("method", "fax"), ("attempted_on", "2025-12-02"),
             ("attempted_time", "25:00"), ("duration_minutes", "0")),
        TODAY,
    )  # fmt: skip
    assert set(errors.by_field) == {
        "method",
        "result",
        "attempted_on",
        "attempted_time",
        "duration_minutes",
    }
    assert "未来" in errors.by_field["attempted_on"]
    assert errors.notice is not None  # no record id: the form must be opened again


def test_a_stale_edit_is_the_if_match_conflict_only() -> None:
    stale = {"errors": [{"field": "If-Match", "reason": "他の担当者が… / changed"}]}
    ended = {"errors": [{"field": "status", "reason": "終了した対象です / ended"}]}
    assert outreach.stale(409, stale)
    assert outreach.stale(412, None)
    assert not outreach.stale(409, ended)
    assert not outreach.stale(422, stale)


def test_service_errors_go_next_to_the_fields_in_japanese() -> None:
    body = {"errors": [{"field": "reason", "reason": "理由が必要です / reason required"},
                       {"field": "steps.0.stage", "reason": "未知の段階 / unknown stage"},
                       {"field": "agency", "reason": "アソウのみ / aso only"}]}  # fmt: skip
    errors = service_errors(body, {"reason": "reason", "steps": "steps"}, "既定")
    assert errors.by_field == {"reason": "理由が必要です", "steps": "未知の段階"}
    assert errors.notice == "アソウのみ"


def test_participation_plan_keeps_the_ladder_order_and_needs_goals() -> None:
    body, errors = participation.plan_body(
        form(("wishes", "話したい"), ("steps", "work_trial"), ("steps", "outing"))
    )
    assert body["steps"] == [{"stage": "outing"}, {"stage": "work_trial"}]
    assert list(errors.by_field) == ["goals"]


def test_placement_end_before_start_is_refused() -> None:
    _, errors = participation.placement_body(
        form(("resource_id", CONTACT_ID), ("started_on", "2025-11-01"),
             ("planned_end_on", "2025-10-01"))
    )  # fmt: skip
    assert list(errors.by_field) == ["planned_end_on"]


def who(agency: str, role: str) -> Principal:
    return Principal(sub="s", agency=agency, roles=frozenset({role}))


def test_program_screens_only_for_their_operators_staff() -> None:
    assert navigation.works_outreach(who("shakyo", "coordinator"))
    assert navigation.works_outreach(who("shakyo", "manager"))
    assert not navigation.works_outreach(who("aso", "coordinator"))
    assert not navigation.works_outreach(who("jiritsu", "counselor"))
    assert navigation.works_participation(who("aso", "manager"))
    assert not navigation.works_participation(who("shakyo", "coordinator"))
    assert not navigation.works_participation(who("city-chiiki-fukushi", "manager"))


def test_placement_end_needs_a_day_and_an_outcome_staff_may_choose() -> None:
    body, errors = participation.placement_end_body(
        form(("ended_on", "令和7年11月30日"), ("outcome_code", "next_step"))
    )
    assert not errors and body == {"ended_on": "2025-11-30", "outcome_code": "next_step"}
    _, errors = participation.placement_end_body(form(("outcome_code", "referral_revoked")))
    assert set(errors.by_field) == {"ended_on", "outcome_code"}
