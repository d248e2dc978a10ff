"""Rules of the 多機関協働 meeting screens, pure: the year's calendar by month, the 臨時
meeting form, a decision form turned into the meetings service's body, the close form.

The service checks everything again; these checks only put the error next to the field
before a round trip, and keep what staff typed when a form is shown again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kasane.reference.agencies import all_agencies, default_meeting_participants, is_known_agency
from kasane.wareki import format_date, format_month
from portal.domain import meeting_labels as labels
from portal.domain.program_forms import FormErrors, choice, optional_date, required_date, text

MAX_ROLES = 6  # role rows on the decision form (a plan rarely has more agencies)

AD_HOC_FIELDS = {"type": "type", "date": "date"}
DECISION_FIELDS = {
    "outcome": "outcome",
    "reason_code": "reason_code",
    "end_kind": "end_kind",
    "roles": "roles",
    "next_review_on": "next_review_on",
    "gaps": "gaps",
    "minutes": "minutes",
    "evaluation": "evaluation",
    "escalate_to": "escalate_to",
    "agenda_item_id": "outcome",
    "consent": "outcome",
}
HELD_FIELDS = {"attendee_agency_ids": "attendee_agency_ids", "place": "place"}


@dataclass(frozen=True)
class MonthRow:
    """One month of the fiscal year: its meetings (both types, 臨時 included) in date order."""

    label: str  # 令和8年12月
    meetings: list[dict[str, Any]]


def calendar(meetings: list[dict[str, Any]]) -> list[MonthRow]:
    """The year's meetings by month, each with its 和暦 date and type label."""
    months: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for meeting in sorted(meetings, key=lambda m: (m["date"], m["type"])):
        day = date.fromisoformat(meeting["date"])
        shown = {
            **meeting,
            "wareki": format_date(day, weekday=True),
            "type_label": labels.MEETING_TYPES.get(meeting["type"], meeting["type"]),
        }
        months.setdefault((day.year, day.month), []).append(shown)
    return [MonthRow(format_month(y, m), rows) for (y, m), rows in sorted(months.items())]


def fiscal_year_label(fiscal_year: int) -> str:
    """2026 → 令和8年度 (the era of its first day, 1 April)."""
    return format_date(date(fiscal_year, 4, 1)).split("年", 1)[0] + "年度"


def ad_hoc_body(form: Any) -> tuple[dict[str, Any], FormErrors]:
    """臨時開催: a meeting type and a day (和暦 or 西暦)."""
    errors = FormErrors()
    kind = choice(form, "type", labels.MEETING_TYPES, "会議の種類", errors)
    day = required_date(form, "date", "開催日", errors)
    if errors:
        return {}, errors
    assert day is not None
    return {"type": kind, "date": day.isoformat()}, errors


def roles_from_form(form: Any, errors: FormErrors) -> list[dict[str, Any]]:
    """役割分担 rows (agency, role, tasks) with one 主担当 chosen by the ``lead`` radio.
    Empty rows are skipped; a row with only one of agency/role is an error."""
    lead = text(form, "lead")
    roles: list[dict[str, Any]] = []
    for n in range(MAX_ROLES):
        agency, role = text(form, f"role_agency_{n}"), text(form, f"role_code_{n}")
        if not agency and not role:
            continue
        if not is_known_agency(agency) or role not in labels.ROLE_CODES:
            errors.add("roles", f"役割分担 {n + 1} 行目: 機関と役割の両方を選んでください")
            continue
        row: dict[str, Any] = {"agency_id": agency, "role_code": role, "lead": lead == str(n)}
        tasks = text(form, f"role_tasks_{n}")
        if tasks:
            row["tasks"] = tasks
        roles.append(row)
    if roles and sum(r["lead"] for r in roles) != 1:
        errors.add("roles", "役割分担: 主担当を1機関だけ選んでください")
    return roles


def decision_body(form: Any, kind: str) -> tuple[dict[str, Any], FormErrors]:
    """A decision on one agenda item as the service takes it (its kind decides the outcomes)."""
    errors = FormErrors()
    allowed = {o: labels.OUTCOME_LABELS[o] for o in labels.OUTCOMES_BY_KIND.get(kind, ())}
    outcome = choice(form, "outcome", allowed, "決定", errors)
    body: dict[str, Any] = {"agenda_item_id": text(form, "agenda_item_id"), "outcome": outcome}
    if text(form, "minutes"):
        body["minutes"] = text(form, "minutes")
    if outcome == "return":
        body["reason_code"] = choice(
            form, "reason_code", labels.RETURN_REASONS, "差戻しの理由", errors
        )
    if outcome == "end":
        end_kind = choice(form, "end_kind", labels.END_KINDS, "終結・中断の別", errors)
        reasons = labels.END_REASONS.get(end_kind, {})
        body["end_kind"] = end_kind
        body["reason_code"] = choice(form, "end_reason", reasons, "終了の理由", errors)
    if outcome in ("continue", "end") and text(form, "evaluation"):
        body["evaluation"] = text(form, "evaluation")
    if outcome in ("approve", "continue"):
        roles = roles_from_form(form, errors)
        if roles:
            body["roles"] = roles
    review = optional_date(form, "next_review_on", "次回の見直し日", errors)
    if review is not None and outcome in ("approve", "continue", "share", "watch", "urgent_action"):
        body["next_review_on"] = review.isoformat()
    if outcome == "gap":
        body["gaps"] = _gaps(form, errors)
    if outcome == "escalate":
        body["escalate_to"] = choice(form, "escalate_to", labels.PROGRAMS, "つなぎ先の事業", errors)
    return body, errors


def _gaps(form: Any, errors: FormErrors) -> list[dict[str, Any]]:
    picked = [c for c in form.getlist("gap_categories") if c in labels.GAP_CATEGORIES]
    if not picked:
        errors.add("gaps", "不足している社会資源の分類を1つ以上選んでください")
    description = text(form, "gap_description")
    return [
        {"category_code": c, **({"description": description} if description else {})}
        for c in picked
    ]


def held_body(form: Any, members: list[str]) -> tuple[dict[str, Any], FormErrors]:
    """閉会: the members present (checked boxes; the others are recorded absent) and place."""
    errors = FormErrors()
    present = [a for a in form.getlist("attendee_agency_ids") if a in members]
    if not present:
        errors.add("attendee_agency_ids", "出席した機関を1つ以上選んでください")
    body: dict[str, Any] = {"attendee_agency_ids": present}
    if text(form, "place"):
        body["place"] = text(form, "place")
    return body, errors


def role_agencies() -> dict[str, str]:
    """Agencies a role can go to (every known agency but the city's departments)."""
    return {a.id: a.name_ja for a in all_agencies() if a.kind != "city_department"}


PLAN_FIELDS = {
    "household_wishes": "household_wishes",
    "issues": "issues",
    "long_term_goal": "long_term_goal",
    "short_term_goals": "short_term_goals",
    "roles": "roles",
    "review_on": "review_on",
    "case_id": "case_id",
    "plan_id": "household_wishes",
}
PLEDGE_FIELDS = {"agency_id": "agency_id", "pledged_on": "pledged_on", "fiscal_year": "pledged_on"}


def plan_body(form: Any) -> tuple[dict[str, Any], FormErrors]:
    """多機関協働プラン: wishes, issues (codes), long- and short-term goals (one a line),
    roles with one 主担当, review date (和暦 or 西暦). ``submit`` is the button pressed."""
    errors = FormErrors()
    wishes = text(form, "household_wishes")
    if not wishes:
        errors.add("household_wishes", "本人・世帯の希望を入力してください")
    issues = [c for c in form.getlist("issues") if c in labels.ISSUES]
    if not issues:
        errors.add("issues", "課題を1つ以上選んでください")
    long_term = text(form, "long_term_goal")
    if not long_term:
        errors.add("long_term_goal", "長期目標を入力してください")
    goals = [g.strip() for g in text(form, "short_term_goals").splitlines() if g.strip()]
    if not goals:
        errors.add("short_term_goals", "短期目標を1行に1つ入力してください")
    roles = roles_from_form(form, errors)
    if not roles and "roles" not in errors.by_field:
        errors.add("roles", "役割分担を1行以上入力し、主担当を選んでください")
    review = required_date(form, "review_on", "見直し時期", errors)
    body: dict[str, Any] = {
        "household_wishes": wishes,
        "issues": [{"issue_code": c} for c in issues],
        "long_term_goal": long_term,
        "short_term_goals": goals,
        "roles": roles,
        "review_on": review.isoformat() if review else "",
    }
    return body, errors


def plan_form_values(content: dict[str, Any]) -> dict[str, Any]:
    """A stored plan's content as the editor's form values (to revise it)."""
    values: dict[str, Any] = {
        "household_wishes": content.get("household_wishes", ""),
        "issues": [i["issue_code"] for i in content.get("issues", [])],
        "long_term_goal": content.get("long_term_goal", ""),
        "short_term_goals": "\n".join(content.get("short_term_goals", [])),
        "review_on": content.get("review_on", ""),
    }
    for n, role in enumerate(content.get("roles", [])[:MAX_ROLES]):
        values[f"role_agency_{n}"] = role["agency_id"]
        values[f"role_code_{n}"] = role["role_code"]
        values[f"role_tasks_{n}"] = role.get("tasks") or ""
        if role.get("lead"):
            values["lead"] = str(n)
    return values


def pledge_body(form: Any, members: dict[str, str]) -> tuple[dict[str, Any], FormErrors]:
    """守秘義務の誓約: the agency and the day of its signed 誓約書 (the year follows the day)."""
    errors = FormErrors()
    agency = choice(form, "agency_id", members, "機関", errors)
    day = required_date(form, "pledged_on", "誓約日", errors)
    if errors:
        return {}, errors
    assert day is not None
    return {"agency_id": agency, "pledged_on": day.isoformat()}, errors


def meeting_agencies() -> dict[str, str]:
    """The agencies invited to every meeting (they are the ones who pledge)."""
    return {a.id: a.name_ja for a in default_meeting_participants()}


def outreach_plans_to_read(items: list[dict[str, Any]] | None) -> list[str]:
    """The plan ids of the visible items whose plan is an アウトリーチ plan still waiting for
    the meeting's decision: its goals are free text kept by outreach alone (events carry ids
    and dates), so the page asks outreach for them. Decided plans are not read again."""
    wanted = []
    for item in items or []:
        plan = item.get("plan") if item.get("visible") else None
        if plan and plan.get("program") == "outreach" and plan.get("status") == "submitted":
            wanted.append(str(plan["plan_id"]))
    return list(dict.fromkeys(wanted))
