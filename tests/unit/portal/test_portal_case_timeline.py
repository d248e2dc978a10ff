"""The case page's timeline (pure): records with the case's 終結 and 再開, newest first; a
再開's field errors go next to the reopen form's fields."""

from __future__ import annotations

from portal.domain.cases import Form, service_errors, timeline


def test_closures_and_reopenings_join_the_records_newest_first() -> None:
    case = {
        "closed_on": "2025-11-01",
        "close_reason": "moved",
        "reopenings": [
            {
                "reopened_on": "2025-09-01",
                "reason": "same_issue_returned",
                "note": "再相談",
                "closed_on": "2025-08-01",
                "close_reason": "resolved",
            }
        ],
    }
    records = [
        {"occurred_at": "2025-09-01T10:00:00+09:00", "kind": "call", "body": "電話"},
        {"occurred_at": "2025-08-01T15:00:00+09:00", "kind": "visit", "body": "訪問"},
    ]
    entries = timeline(case, records)
    assert [(e.kind, e.at.date().isoformat()) for e in entries] == [
        ("closed", "2025-11-01"),
        ("record", "2025-09-01"),  # the same day's 再開 comes first: it opened the day
        ("reopened", "2025-09-01"),
        ("closed", "2025-08-01"),  # the same day's records come before the 終結
        ("record", "2025-08-01"),
    ]
    assert entries[2].item == {
        "on": "2025-09-01",
        "reason": "同じ世帯状況での再相談",
        "note": "再相談",
    }
    assert entries[0].item["reason"] == "転出" and entries[3].item["reason"] == "課題解決"


def test_an_open_case_never_reopened_has_its_records_only() -> None:
    records = [{"occurred_at": "2025-09-01T01:00:00+00:00", "kind": "call", "body": "x"}]
    (entry,) = timeline({"closed_on": None, "reopenings": []}, records)
    assert entry.kind == "record" and entry.at.hour == 10  # shown in Japan


def test_intake_refusals_of_a_reopening_go_next_to_its_fields() -> None:
    form = Form("reopen")
    body = {
        "errors": [
            {"field": "reopened_on", "reason": "再開日が終結日より前です / reopened_on is before"},
            {"field": "case_id", "reason": "終結していないケースは再開できません / only closed"},
        ]
    }
    service_errors(form, body, "受け付けられませんでした")
    assert form.errors == {
        "reopened_on": "再開日が終結日より前です",
        "reason": "終結していないケースは再開できません",
    }
