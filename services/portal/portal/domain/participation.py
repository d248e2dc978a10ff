"""参加支援 screens' rules: reading the plan, placement and step forms into the
participation service's bodies, and naming resources for people. Pure."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.domain import program_labels as labels
from portal.domain.program_forms import (
    FormErrors,
    choice,
    form_uuid,
    optional_date,
    required_date,
    text,
)

TEXT_MAX = 4000
NOTE_MAX = 2000

PLAN_FIELDS = {
    "wishes": "wishes",
    "goals": "goals",
    "steps": "steps",
    "review_on": "review_on",
    "status": "wishes",
}
PLACEMENT_FIELDS = {
    "resource_id": "resource_id",
    "started_on": "started_on",
    "planned_end_on": "planned_end_on",
    "status": "resource_id",
    "body": "started_on",
}
STEP_FIELDS = {"stage": "stage", "reached_on": "reached_on", "note": "note", "status": "stage"}


def _bounded(form: Any, name: str, label: str, limit: int, errors: FormErrors) -> str:
    value = text(form, name)
    if len(value) > limit:
        errors.add(name, f"{label}は{limit}文字以内で入力してください")
    return value


def plan_body(form: Any) -> tuple[dict[str, Any], FormErrors]:
    """参加支援プラン: the person's wishes, goals, and the steps planned (in ladder order)."""
    errors = FormErrors()
    wishes = _bounded(form, "wishes", "本人の希望", TEXT_MAX, errors)
    if not wishes:
        errors.add("wishes", "本人の希望を入力してください")
    goals = _bounded(form, "goals", "目標", TEXT_MAX, errors)
    if not goals:
        errors.add("goals", "目標を入力してください")
    chosen = set(form.getlist("steps")) if hasattr(form, "getlist") else set()
    steps = [{"stage": code} for code in labels.PARTICIPATION_STAGES if code in chosen]
    if not steps:
        errors.add("steps", "段階を1つ以上選んでください")
    review_on = optional_date(form, "review_on", "見直し日", errors)
    body: dict[str, Any] = {"wishes": wishes, "goals": goals, "steps": steps}
    if review_on is not None:
        body["review_on"] = review_on.isoformat()
    return body, errors


def placement_body(form: Any) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    resource_id = form_uuid(form, "resource_id")
    if resource_id is None:
        errors.add("resource_id", "受け入れ先を選んでください")
    started_on = required_date(form, "started_on", "開始日", errors)
    planned_end_on = optional_date(form, "planned_end_on", "終了予定日", errors)
    if started_on and planned_end_on and planned_end_on < started_on:
        errors.add("planned_end_on", "終了予定日が開始日より前です")
    body: dict[str, Any] = {
        "resource_id": str(resource_id),
        "started_on": started_on.isoformat() if started_on else None,
    }
    if planned_end_on is not None:
        body["planned_end_on"] = planned_end_on.isoformat()
    return body, errors


PLACEMENT_END_FIELDS = {
    "ended_on": "ended_on",
    "outcome_code": "outcome_code",
    "status": "outcome_code",
    "placement_id": "outcome_code",
}


def placement_end_body(form: Any) -> tuple[dict[str, Any], FormErrors]:
    """受け入れの終了: the day and the outcome (the service checks it is not before the start)."""
    errors = FormErrors()
    ended_on = required_date(form, "ended_on", "終了日", errors)
    outcomes = {k: v for k, v in labels.PLACEMENT_OUTCOMES.items() if k != "referral_revoked"}
    outcome = choice(form, "outcome_code", outcomes, "結果", errors)
    body = {"ended_on": ended_on.isoformat() if ended_on else None, "outcome_code": outcome}
    return body, errors


def step_body(form: Any, today: date) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    stage = choice(form, "stage", labels.PARTICIPATION_STAGES, "段階", errors)
    reached_on = required_date(form, "reached_on", "到達日", errors, today=today)
    note = _bounded(form, "note", "様子", NOTE_MAX, errors)
    body: dict[str, Any] = {
        "stage": stage,
        "reached_on": reached_on.isoformat() if reached_on else None,
    }
    if note:
        body["note"] = note
    return body, errors


def resource_name(resource: dict[str, Any] | None) -> str:
    """What staff call a resource: its service's name, else its organization's."""
    if not resource:
        return "（不明な資源）"
    for part in ("service", "organization", "location"):
        named = resource.get(part) or {}
        if isinstance(named, dict) and named.get("name"):
            return str(named["name"])
    return labels.label(labels.RESOURCE_CATEGORIES, resource.get("category"))


def category_label(code: str | None) -> str:
    return labels.label(labels.RESOURCE_CATEGORIES, code)
