"""Putting a case on a meeting's agenda (議題に追加) and inviting an agency for a case
(ケースに応じた参加者を追加), pure: which meetings and kinds the form offers, the legal basis
staff read beside them, the form turned into the meetings service's bodies.

The meetings service decides again (kind against the meeting's type, 本人同意 for a
重層的支援会議, admission and 守秘義務 pledge of a member agency proposing on a 支援会議);
these checks put an error next to the field before a round trip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from kasane.reference.agencies import all_agencies, is_known_agency, operators_of
from kasane.reference.enumerations import labels as reference_labels
from kasane.wareki import format_date
from portal.domain import meeting_labels as labels
from portal.domain.labels import district_name, issue_label
from portal.domain.program_forms import FormErrors, choice, form_uuid, text

# Plans reach the agenda by being submitted (適切性) or by their review (評価): the form
# offers the kinds a person raises by hand.
PLAN_KINDS: Final = frozenset({"plan_appropriateness", "plan_evaluation"})
LEGAL_BASES: Final = {
    "support_meeting": (
        "本人同意がなくても共有できます（社会福祉法第106条の6）。"
        "参加機関は社協の参加の決定と今年度の守秘義務の誓約があるときだけ内容を見られます。"
    ),
    "multilayer_meeting": (
        "このケースの本人同意（重層的支援会議を含むもの）が会議の日に有効である必要があります。"
        "同意の範囲の機関だけが内容を見られます。"
    ),
}
SUMMARY_MAX = 2000  # the service's limit on 報告内容

AGENDA_FIELDS = {
    "meeting_id": "meeting_id",
    "case_id": "case_id",
    "kind": "kind",
    "summary": "summary",
    "presenting_agency_id": "presenting_agency_id",
    "consent": "case_id",  # 本人同意 missing: about the case chosen
    "agency": "meeting_id",  # not admitted / not a member of that meeting
    "pledge": "meeting_id",
    "plan_id": "kind",
}
MEMBER_FIELDS = {
    "agency_id": "agency_id",
    "agency_ids": "agency_id",
    "case_ids": "case_id",
    "meeting_id": "agency_id",
}


def kinds_by_type() -> dict[str, dict[str, str]]:
    """The kinds offered, per meeting type (code → 日本語), from the shared reference lists."""
    lists = {
        "support_meeting": reference_labels("support_meeting_agenda_kinds"),
        "multilayer_meeting": reference_labels("multilayer_agenda_kinds"),
    }
    return {
        kind: {code: label for code, label in offered.items() if code not in PLAN_KINDS}
        for kind, offered in lists.items()
    }


@dataclass(frozen=True)
class MeetingChoice:
    meeting_id: str
    type: str
    label: str  # 令和8年12月23日(水) 支援会議（臨時）


def upcoming(meetings: list[dict[str, Any]], today: date) -> list[MeetingChoice]:
    """Meetings a case can still go on: not held, today or later, 支援会議 first by date."""
    open_ones = [
        m
        for m in meetings
        if m.get("status") == "scheduled" and date.fromisoformat(m["date"]) >= today
    ]
    open_ones.sort(key=lambda m: (m["date"], m["type"] != "support_meeting"))
    return [MeetingChoice(m["meeting_id"], m["type"], _meeting_label(m)) for m in open_ones]


def _meeting_label(meeting: dict[str, Any]) -> str:
    day = format_date(date.fromisoformat(meeting["date"]), weekday=True)
    kind = labels.MEETING_TYPES.get(meeting["type"], meeting["type"])
    return f"{day} {kind}{'（臨時）' if meeting.get('ad_hoc') else ''}"


def case_label(opened_on: str | None, district: str | None, issues: list[str]) -> str:
    """A case as the pick list shows it: no names (the list is read without them)."""
    parts = []
    if opened_on:
        parts.append(f"{format_date(date.fromisoformat(opened_on[:10]))}受付")
    if district:
        parts.append(f"{district_name(district)}校区")
    if issues:
        parts.append("・".join(issue_label(c) for c in issues))
    return "　".join(parts) or "ケース"


def case_choices(
    cases: list[dict[str, Any]], escalations: list[dict[str, Any]], prefilled: str | None
) -> dict[str, str]:
    """case_id → label: my open cases, the escalations to 多機関協働 (社協), and the case the
    link came from (kept even when neither list holds it; the service decides)."""
    found: dict[str, str] = {}
    for e in escalations:
        by = "・".join(a.name_ja for a in all_agencies() if a.id in e.get("by_agency_ids", []))
        reasons = "・".join(issue_label(c) for c in e.get("reason_codes", []))
        label = f"{format_date(date.fromisoformat(e['escalated_on']))}つなぎ（{by}）"
        found[e["case_id"]] = f"{label}　{reasons}" if reasons else label
    for c in cases:
        found.setdefault(
            c["case_id"],
            case_label(c.get("opened_on"), c.get("school_district_code"), c.get("issue_codes", [])),
        )
    if prefilled and prefilled not in found:
        found[prefilled] = f"このケース（番号 {prefilled[:8]}）"
    return found


def agenda_body(
    form: Any,
    meetings: dict[str, MeetingChoice],
    cases: dict[str, str],
    presenters: dict[str, str] | None,
) -> tuple[str, dict[str, Any], FormErrors]:
    """The form → (meeting_id, the service's body, errors). ``presenters`` is None when the
    caller presents for their own agency only (everyone but 社協)."""
    errors = FormErrors()
    offered = {k: v.label for k, v in meetings.items()}
    meeting_id = choice(form, "meeting_id", offered, "会議", errors)
    if form_uuid(form, "case_id") is None or text(form, "case_id") not in cases:
        errors.add("case_id", "ケースを選んでください")
    meeting = meetings.get(meeting_id)
    allowed = kinds_by_type()[meeting.type] if meeting else {}
    kind = text(form, "kind")
    if kind not in labels.AGENDA_KINDS or (meeting and kind not in allowed):
        reason = "この会議で扱える協議内容を選んでください" if kind else "協議内容を選んでください"
        errors.add("kind", reason)
    body: dict[str, Any] = {"case_id": text(form, "case_id"), "kind": kind}
    summary = text(form, "summary")
    if len(summary) > SUMMARY_MAX:
        errors.add("summary", f"報告内容は{SUMMARY_MAX}文字以内で入力してください")
    elif summary:
        body["summary"] = summary
    if presenters is not None:
        presenter = choice(form, "presenting_agency_id", presenters, "報告機関", errors)
        body["presenting_agency_id"] = presenter
    return meeting_id, body, errors


def member_body(form: Any, cases: dict[str, str]) -> tuple[dict[str, Any], FormErrors]:
    """ケースに応じた参加者: one agency for one case of this meeting's agenda."""
    errors = FormErrors()
    agency = text(form, "agency_id")
    if not is_known_agency(agency):
        errors.add("agency_id", "機関を選んでください")
    case_id = text(form, "case_id")
    if case_id not in cases:
        errors.add("case_id", "議題のケースを選んでください")
    return {"agency_id": agency, "case_ids": [case_id]}, errors


def agenda_cases(items: list[dict[str, Any]] | None) -> dict[str, str]:
    """The cases on a meeting's agenda the reader sees: case_id → 議題 N：kind."""
    found: dict[str, str] = {}
    for item in items or []:
        if item.get("visible") and item.get("case_id"):
            kind = labels.AGENDA_KINDS.get(item["kind"], item["kind"])
            found.setdefault(item["case_id"], f"議題{item['position']}：{kind}")
    return found


def invitable_agencies() -> dict[str, str]:
    """Agencies 社協 may invite for a case (anyone known; the city's departments too: 生活保護
    and the 課 join 支援会議 as members)."""
    runs = {a.id for a in operators_of("meetings")}  # runs the meeting: always there
    return {a.id: a.name_ja for a in all_agencies() if a.id not in runs}
