"""Idempotent contacts, the regular-visit schedule, plans and ending: pure rules."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from kasane.errors import Conflict, Invalid
from kasane.web.etag import matches
from outreach.domain.contacts import ContactIn, attempted, fingerprint
from outreach.domain.ending import EndIn, check_end, ended
from outreach.domain.plans import PlanIn, check_submittable, submitted
from outreach.domain.targets import TargetIn, registered
from outreach.domain.visits import UNASSIGNED, Scheduled, overdue_by_worker

TARGET = uuid.uuid4()


def contact(**changes: Any) -> ContactIn:
    body = {
        "contact_id": "0198a0c2-0000-7000-8000-000000000001",
        "method": "visit",
        "result": "absent",
        "attempted_on": "2025-05-01",
    }
    return ContactIn.model_validate(body | changes)


def test_the_same_body_has_the_same_fingerprint() -> None:
    assert fingerprint(TARGET, contact()) == fingerprint(TARGET, contact())
    assert fingerprint(TARGET, contact()) != fingerprint(TARGET, contact(result="met"))
    assert fingerprint(TARGET, contact()) != fingerprint(uuid.uuid4(), contact())
    assert fingerprint(TARGET, contact()) != fingerprint(TARGET, contact(note="留守"))


def test_contact_event_has_no_note() -> None:
    event = attempted(TARGET, contact(note="郵便物がたまっている")).model_dump(mode="json")
    assert set(event) == {"target_id", "contact_id", "method", "result", "attempted_on"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": "email"}, "method"),
        ({"result": "ok"}, "result"),
        ({"attempted_on": "2999-01-01"}, "attempted_on"),
    ],
)
def test_bad_contacts_name_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        contact(**change)
    assert error.value.errors()[0]["loc"] == (field,)


def scheduled(worker: str | None, interval: int, last: date | None) -> Scheduled:
    return Scheduled(
        target_id=uuid.uuid4(),
        worker=worker,
        interval_days=interval,
        registered_on=date(2025, 4, 1),
        last_visit_on=last,
        stage="contacted",
        school_district_code=None,
    )


def test_overdue_visits_per_worker_most_overdue_first() -> None:
    a_late = scheduled("a", 7, date(2025, 5, 1))  # due 5-08
    a_later = scheduled("a", 30, None)  # due 5-01
    a_fine = scheduled("a", 30, date(2025, 5, 10))  # due 6-09
    b_due_today = scheduled("b", 7, date(2025, 5, 13))  # due 5-20: not yet overdue
    nobody = scheduled(None, 14, None)  # due 4-15
    result = overdue_by_worker([a_late, a_later, a_fine, b_due_today, nobody], date(2025, 5, 20))
    assert list(result) == ["a", UNASSIGNED]
    assert [(o.target_id, o.days_overdue) for o in result["a"]] == [
        (a_later.target_id, 19),
        (a_late.target_id, 12),
    ]
    assert result[UNASSIGNED][0].due_on == date(2025, 4, 15)


def plan(**changes: Any) -> PlanIn:
    return PlanIn.model_validate({"goals": ["週1回の訪問"]} | changes)


def test_a_plan_needs_an_open_target_linked_to_a_case_and_no_plan_in_progress() -> None:
    case_id = uuid.uuid4()
    today = date(2025, 6, 1)
    ok = check_submittable(status="open", case_id=case_id, open_plans=0, data=plan(), today=today)
    assert ok == (case_id, today)
    for kwargs, field in (
        ({"status": "open", "case_id": None, "open_plans": 0}, "case_id"),
        ({"status": "open", "case_id": case_id, "open_plans": 1}, "plan"),
        ({"status": "ended", "case_id": case_id, "open_plans": 0}, "status"),
    ):
        with pytest.raises(Conflict) as refused:
            check_submittable(data=plan(), today=today, **kwargs)
        assert (refused.value.status, refused.value.field) == (409, field)
    with pytest.raises(Invalid) as review:
        check_submittable(
            status="open",
            case_id=case_id,
            open_plans=0,
            data=plan(review_on="2025-06-01"),
            today=today,
        )
    assert review.value.field == "review_on"


def test_plan_event_is_for_the_outreach_program() -> None:
    plan_id, case_id = uuid.uuid4(), uuid.uuid4()
    event = submitted(plan_id, TARGET, case_id, plan(wishes="家から出たい"), date(2025, 6, 1))
    assert event.program == "outreach" and event.partition_key() == str(case_id)
    assert "家から" not in event.model_dump_json()


def test_blank_goals_are_refused() -> None:
    with pytest.raises(ValidationError):
        plan(goals=["  "])
    with pytest.raises(ValidationError):
        plan(goals=[])


def test_hand_over_needs_a_referral() -> None:
    with pytest.raises(Invalid) as refused:
        check_end(EndIn(reason_code="handed_over"), date(2025, 4, 1), date(2025, 6, 1))
    assert refused.value.field == "referral_id"
    data = EndIn(reason_code="handed_over", referral_id=uuid.uuid4())
    assert check_end(data, date(2025, 4, 1), date(2025, 6, 1)) == date(2025, 6, 1)
    assert ended(TARGET, data, date(2025, 6, 1)).reason_code == "handed_over"
    with pytest.raises(Invalid) as early:
        check_end(
            EndIn(reason_code="moved", ended_on=date(2025, 3, 1)),
            date(2025, 4, 1),
            date(2025, 6, 1),
        )
    assert early.value.field == "ended_on"


def test_a_target_needs_no_consent_and_its_event_no_description() -> None:
    data = TargetIn(source="family", description="母が心配している息子")
    event = registered(TARGET, data, date(2025, 5, 1)).model_dump(mode="json")
    assert event == {
        "target_id": str(TARGET),
        "source": "family",
        "school_district_code": None,
        "registered_on": "2025-05-01",
        "case_id": None,
    }
    with pytest.raises(ValidationError):
        TargetIn(source="police", description="x")


def test_if_match_compares_versions() -> None:
    assert matches('"4"', 4) and not matches('"3"', 4) and matches("*", 1)


def test_a_contact_without_the_later_details_keeps_its_first_fingerprint() -> None:
    # The fingerprint as computed before time, place and duration existed: a device
    # retrying a contact recorded then must still find it the same record.
    import hashlib
    import json

    old = {"target_id": str(TARGET), "contact_id": "0198a0c2-0000-7000-8000-000000000001",
           "method": "visit", "result": "absent", "attempted_on": "2025-05-01",
           "note": None, "worker": None}  # fmt: skip
    canonical = json.dumps(old, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert fingerprint(TARGET, contact()) == hashlib.sha256(canonical.encode()).hexdigest()


def test_time_place_and_duration_are_part_of_the_record() -> None:
    base = fingerprint(TARGET, contact())
    assert fingerprint(TARGET, contact(attempted_time="14:05")) != base
    assert fingerprint(TARGET, contact(place="自宅玄関")) != base
    assert fingerprint(TARGET, contact(duration_minutes=15)) != base
    event = attempted(TARGET, contact(place="自宅玄関", attempted_time="14:05"))
    assert "自宅玄関" not in event.model_dump_json()


@pytest.mark.parametrize(
    "changes",
    [
        {"duration_minutes": 0},
        {"duration_minutes": 1441},
        {"attempted_time": "25:00"},
        {"attempted_time": "14:05+09:00"},
        {"place": "二行\n目"},
    ],
)
def test_bad_contact_details_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        contact(**changes)
