"""アウトリーチ screens' rules: the work list's order, and reading the contact and stage
forms into the outreach service's bodies. Pure (the calls are in ``usecases.outreach``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kasane.reference.agencies import consultation_agencies
from kasane.reference.issue_codes import issue_code_labels
from portal.domain import program_labels as labels
from portal.domain.program_forms import (
    FormErrors,
    choice,
    form_uuid,
    optional_date,
    required_date,
    text,
)

# The schedule is asked "as of" this far ahead, so every target with a visit interval
# (at most 365 days) comes back with its next due date, not only the late ones.
SCHEDULE_HORIZON = timedelta(days=366)
NOTE_MAX = 4000
PLACE_MAX = 200
DURATION_MAX = 1440  # minutes
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
REASON_MAX = 2000


@dataclass(frozen=True)
class WorkRow:
    target_id: str
    stage: str
    source: str
    district: str
    registered_on: str
    next_visit_on: date | None
    days_overdue: int  # 0 when not late
    mine: bool

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def work_list(
    targets: list[dict[str, Any]], schedule: dict[str, list[dict[str, Any]]], me: str, today: date
) -> list[WorkRow]:
    """Open targets, the late visits first (most overdue first), then by next visit, then
    those without a schedule (oldest registration first)."""
    due: dict[str, date] = {}
    for items in schedule.values():
        for item in items:
            due[str(item["target_id"])] = date.fromisoformat(str(item["due_on"]))
    rows = [
        WorkRow(
            target_id=str(t["target_id"]),
            stage=labels.label(labels.OUTREACH_STAGES, t.get("stage")),
            source=labels.label(labels.OUTREACH_SOURCES, t.get("source")),
            district=labels.district(t.get("school_district_code")),
            registered_on=str(t.get("registered_on", "")),
            next_visit_on=due.get(str(t["target_id"])),
            days_overdue=_late(due.get(str(t["target_id"])), today),
            mine=t.get("assigned_worker") == me,
        )
        for t in targets
        if t.get("status", "open") == "open"
    ]
    return sorted(rows, key=_order)


def _late(due_on: date | None, today: date) -> int:
    return max((today - due_on).days, 0) if due_on is not None else 0


def _order(row: WorkRow) -> tuple[int, date, str]:
    if row.next_visit_on is None:
        return (1, date.fromisoformat(row.registered_on or "9999-12-31"), row.target_id)
    return (0, row.next_visit_on, row.target_id)


# The service's field → the contact form's field.
CONTACT_FIELDS = {
    "contact_id": "contact_id",
    "method": "method",
    "result": "result",
    "attempted_on": "attempted_on",
    "note": "note",
    "attempted_time": "attempted_time",
    "place": "place",
    "duration_minutes": "duration_minutes",
}


def _details(form: Any, errors: FormErrors) -> dict[str, Any]:
    """時刻・場所・所要時間 (each optional)."""
    found: dict[str, Any] = {}
    raw_time = text(form, "attempted_time")
    if raw_time:
        matched = _TIME.match(raw_time)
        if matched is None:
            errors.add("attempted_time", "時刻は 14:05 のように入力してください")
        else:
            found["attempted_time"] = f"{int(matched[1]):02d}:{matched[2]}"
    place = text(form, "place")
    if len(place) > PLACE_MAX or "\n" in place:
        errors.add("place", f"場所は1行・{PLACE_MAX}文字以内で入力してください")
    elif place:
        found["place"] = place
    raw_minutes = text(form, "duration_minutes")
    if raw_minutes:
        if not raw_minutes.isdecimal() or not 1 <= int(raw_minutes) <= DURATION_MAX:
            errors.add("duration_minutes", f"所要時間は1〜{DURATION_MAX}分の数字で入力してください")
        else:
            found["duration_minutes"] = int(raw_minutes)
    return found


def contact_body(form: Any, today: date) -> tuple[dict[str, Any], FormErrors]:
    """The POST /targets/{id}/contacts body. ``contact_id`` was made when the form was
    first shown: a resend (after a timeout, a double tap) is the same record."""
    errors = FormErrors()
    contact_id = form_uuid(form, "contact_id")
    if contact_id is None:
        errors.notice = "画面を開き直してから入力してください（記録IDがありません）"
    method = choice(form, "method", labels.CONTACT_METHODS, "接触方法", errors)
    result = choice(form, "result", labels.CONTACT_RESULTS, "接触結果", errors)
    attempted_on = required_date(form, "attempted_on", "接触日", errors, today=today)
    note = text(form, "note")
    if len(note) > NOTE_MAX:
        errors.add("note", f"様子は{NOTE_MAX}文字以内で入力してください")
    body: dict[str, Any] = {
        "contact_id": str(contact_id),
        "method": method,
        "result": result,
        "attempted_on": attempted_on.isoformat() if attempted_on else None,
    }
    if note:
        body["note"] = note
    body.update(_details(form, errors))
    return body, errors


STAGE_FIELDS = {"stage": "stage", "changed_on": "changed_on", "reason": "reason"}


def stage_body(form: Any) -> tuple[dict[str, Any], FormErrors]:
    """The PATCH body of a stage change (the service decides whether a reason is needed:
    a move backwards needs one)."""
    errors = FormErrors()
    stage = choice(form, "stage", labels.OUTREACH_STAGES, "段階", errors)
    changed_on = optional_date(form, "changed_on", "変更日", errors)
    reason = text(form, "reason")
    if len(reason) > REASON_MAX:
        errors.add("reason", f"理由は{REASON_MAX}文字以内で入力してください")
    body: dict[str, Any] = {"stage": stage}
    if changed_on is not None:
        body["changed_on"] = changed_on.isoformat()
    if reason:
        body["reason"] = reason
    return body, errors


def stale(status: int, body: Any) -> bool:
    """The target changed since the form was opened. The service answers 409 naming
    ``If-Match`` (412 is the HTTP standard's word for it); other 409s are other refusals."""
    if status == 412:
        return True
    items = body.get("errors", []) if isinstance(body, dict) else []
    return status == 409 and any(i.get("field") == "If-Match" for i in items)


PLAN_FIELDS = {
    "goals": "goals",
    "wishes": "wishes",
    "review_on": "review_on",
    "case_id": "goals",
    "plan": "goals",
    "status": "goals",
}


def plan_body(form: Any) -> tuple[dict[str, Any], FormErrors]:
    """An outreach plan: one goal per line, the person's wishes, a review date."""
    errors = FormErrors()
    goals = [line.strip() for line in text(form, "goals").splitlines() if line.strip()]
    if not goals:
        errors.add("goals", "目標を1行に1つ入力してください")
    wishes = text(form, "wishes")
    review_on = optional_date(form, "review_on", "見直し日", errors)
    body: dict[str, Any] = {"goals": goals}
    if wishes:
        body["wishes"] = wishes
    if review_on is not None:
        body["review_on"] = review_on.isoformat()
    return body, errors


# 引継ぎ: a referral to a consultation agency (referral service), then the outreach ends
# with reason handed_over and that referral's id (outreach service).
HANDOFF_FIELDS = {
    "to_agency": "to_agency",
    "reason_codes": "reason_codes",
    "note": "handoff_note",
    "case_id": "to_agency",
    "legal_basis": "to_agency",
    "referral_id": "to_agency",
}


def handoff_agencies() -> dict[str, str]:
    """The 相談支援機関 an outreach may hand a person over to (reference data)."""
    return {a.id: a.name_ja for a in consultation_agencies()}


def reason_labels() -> dict[str, str]:
    return issue_code_labels()


def handoff_referral(form: Any, case_id: str | None) -> tuple[dict[str, Any], FormErrors]:
    """The POST /referrals body of a hand-off (the case is the target's)."""
    errors = FormErrors()
    if not case_id:
        errors.notice = "引継ぎには、対象を相談受付のケースに紐づける必要があります"
    to_agency = choice(form, "to_agency", handoff_agencies(), "引継ぎ先", errors)
    chosen = form.getlist("reason_codes") if hasattr(form, "getlist") else []
    reasons = [code for code in issue_code_labels() if code in chosen]
    if not reasons:
        errors.add("reason_codes", "つなぎの理由（課題）を1つ以上選んでください")
    note = text(form, "handoff_note")
    if len(note) > REASON_MAX:
        errors.add("handoff_note", f"申し送りは{REASON_MAX}文字以内で入力してください")
    body: dict[str, Any] = {"case_id": case_id, "to_agency": to_agency, "reason_codes": reasons}
    if note:
        body["note"] = note
    return body, errors


def handed_over(referral_id: str) -> dict[str, Any]:
    return {"reason_code": "handed_over", "referral_id": referral_id}
