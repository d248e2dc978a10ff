"""The case screens' rules (pure): labels staff read, the forms' parsing, and where a
service's field error is shown.

Labels come from the shared reference data (kasane.reference, where intake's vocabularies
have their one home too), gathered here once so every case template says the same thing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from kasane.reference import program_codes
from kasane.reference.enumerations import labels
from kasane.wareki import WarekiError, format_date, parse_date
from portal.domain.consult_labels import CARE_ROLES as CARE_ROLES
from portal.domain.consult_labels import RELATIONSHIPS as RELATIONSHIPS
from portal.domain.labels import consent_parties
from portal.domain.labels import district_name as district_name
from portal.domain.labels import issue_label as issue_label
from portal.domain.labels import japanese as japanese

JST = ZoneInfo("Asia/Tokyo")
PAGE_SIZE = 20

# intake's vocabularies (the lists intake validates against).
URGENCIES = program_codes.labels("intake_urgencies")
RECORD_KINDS = program_codes.labels("intake_record_kinds")
CLOSE_REASONS = program_codes.labels("intake_close_reasons")
REOPEN_REASONS = program_codes.labels("intake_reopen_reasons")
CASE_STATUSES = {"open": "対応中", "closed": "終結"}
# meetings' plan states (services/meetings: draft → submitted → approved | returned → ended).
PLAN_STATUSES = {
    "draft": "作成中",
    "submitted": "提出済み（会議での協議待ち）",
    "approved": "承認済み",
    "returned": "差し戻し",
    "ended": "終了",
}
# The household situations intake reports, as issue codes whose labels are in reference data.
SITUATIONS = ("8050", "double_care", "young_carer")

# The list's tabs: (status, agency) as intake's GET /cases takes them.
TABS = {
    "open": ("open", "mine", "担当中"),
    "shared": ("open", "shared", "共有されたケース"),
    "closed": ("closed", "mine", "終結したケース"),
}


def label(table: str, code: str | None) -> str:
    """A code of a shared enumeration (channels, consent_methods, programs, …) in Japanese."""
    if not code:
        return ""
    found: dict[str, str] = labels(table)  # type: ignore[arg-type]
    return found.get(code, code)


def choices(table: str) -> list[tuple[str, str]]:
    return list(labels(table).items())  # type: ignore[arg-type]


def agency_choices() -> list[tuple[str, str]]:
    return list(consent_parties().items())


def today_wareki(today: date) -> str:
    return format_date(today)


def display_name(persons: Iterable[Mapping[str, Any]]) -> str:
    """A case is called by its 本人 (or its first person) in lists."""
    listed = list(persons)
    me = next((p for p in listed if p.get("relationship") == "self"), None)
    chosen = me or (listed[0] if listed else None)
    return str(chosen.get("name") or "") if chosen else ""


def page_offsets(
    offset: int, count: int, size: int = PAGE_SIZE, *, may_skip: bool = False
) -> tuple[int | None, int | None]:
    """(previous, next) offsets; None where there is no such page. A full page may have more.
    ``may_skip``: intake leaves out shared cases whose grant lapsed, so a short page of them
    is not the last one; any non-empty page then offers the next."""
    previous = max(offset - size, 0) if offset > 0 else None
    more = count >= size or (may_skip and count > 0)
    return previous, offset + size if more else None


# --- forms -----------------------------------------------------------------------------


@dataclass
class Form:
    """One form of the case page as staff filled it: values back, errors by field."""

    name: str  # record | consent | withdraw | close | reopen
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def error(self, name: str, reason: str) -> None:
        self.errors.setdefault(name, japanese(reason))


def staff_date(form: Form, name: str, label_ja: str, *, required: bool = True) -> date | None:
    text = str(form.values.get(name) or "").strip()
    if not text:
        if required:
            form.error(name, f"{label_ja}を入力してください")
        return None
    try:
        return parse_date(text)
    except WarekiError as exc:
        form.error(name, str(exc))
        return None


def occurred_at(form: Form, today: date) -> str | None:
    """The record's 日付 (和暦 or 西暦) and 時刻 (HH:MM, in Japan) → ISO with offset."""
    day = staff_date(form, "occurred_on", "日付")
    text = str(form.values.get("occurred_time") or "").strip()
    at = time(0, 0)
    if text:
        try:
            at = time.fromisoformat(text.replace("：", ":"))
        except ValueError:
            form.error("occurred_time", "時刻は 14:05 のように入力してください")
            return None
    if day is None:
        return None
    return datetime.combine(day, at, tzinfo=JST).isoformat()


# A service's error field → the form field it is shown next to.
FIELD_OF = {
    "record": {"kind": "kind", "occurred_at": "occurred_on", "body": "body"},
    "consent": {
        "person_id": "person_id",
        "scope": "scope",
        "method": "method",
        "consented_on": "consented_on",
        "expires_on": "expires_on",
    },
    "withdraw": {"withdrawn_on": "withdrawn_on", "consent_id": "withdrawn_on"},
    "close": {"reason": "reason", "closed_on": "closed_on", "note": "note"},
    "reopen": {"reason": "reason", "reopened_on": "reopened_on", "note": "note"},
}
FALLBACK_FIELD = {
    "record": "body",
    "consent": "scope",
    "withdraw": "withdrawn_on",
    "close": "reason",
    "reopen": "reason",
}


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the case's timeline: a 支援経過記録, or the case's 終結 / 再開."""

    at: datetime  # in Japan; a 終結 or 再開 (a date) sorts at the end / start of its day
    kind: str  # record | closed | reopened
    item: Mapping[str, Any]


def _day(value: str, end: bool) -> datetime:
    return datetime.combine(date.fromisoformat(value), time.max if end else time.min, JST)


def timeline(case: Mapping[str, Any], records: Iterable[Mapping[str, Any]]) -> list[TimelineEntry]:
    """The records and the case's closures and reopenings (intake's ``reopenings`` keep the
    closures a 再開 ended; ``closed_on`` is the closure in force), newest first."""
    entries = [
        TimelineEntry(datetime.fromisoformat(str(r["occurred_at"])).astimezone(JST), "record", r)
        for r in records
    ]
    for r in case.get("reopenings") or []:
        closed = {"on": r["closed_on"], "reason": CLOSE_REASONS.get(r.get("close_reason") or "")}
        entries.append(TimelineEntry(_day(r["closed_on"], True), "closed", closed))
        reason = REOPEN_REASONS.get(r["reason"], r["reason"])
        reopened = {"on": r["reopened_on"], "reason": reason, "note": r.get("note")}
        entries.append(TimelineEntry(_day(r["reopened_on"], False), "reopened", reopened))
    if case.get("closed_on"):
        reason = CLOSE_REASONS.get(case.get("close_reason") or "")
        closing = {"on": case["closed_on"], "reason": reason}
        entries.append(TimelineEntry(_day(case["closed_on"], True), "closed", closing))
    return sorted(entries, key=lambda e: e.at, reverse=True)


def service_errors(form: Form, body: Any, fallback_reason: str) -> None:
    """Put a service's 4xx ``errors[]`` next to the form's fields (``scope.agencies`` goes
    with ``scope``); an error naming no field of the form goes with its main field."""
    errors = body.get("errors") if isinstance(body, dict) else None
    fields = FIELD_OF[form.name]
    for err in errors or [{"field": "", "reason": fallback_reason}]:
        head = str(err.get("field", "")).split(".", 1)[0]
        form.error(fields.get(head, FALLBACK_FIELD[form.name]), str(err.get("reason", "")))


def style_hashes(document: str) -> list[str]:
    """CSP hashes of a document's ``<style>`` elements: the printed sheet carries its own
    A4 style inline, which the portal's policy otherwise (rightly) refuses."""
    found = re.findall(r"<style>(.*?)</style>", document, flags=re.DOTALL)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in found
    ]


def sheet_tools(document: str, case_id: str) -> str:
    """The portal's own bar above the sheet (back to the case; hidden when printed)."""
    bar = '<link rel="stylesheet" href="/static/sheet.css">' if "</head>" in document else ""
    tools = (
        '<nav class="sheet-tools" aria-label="帳票の操作">'
        f'<a href="/cases/{case_id}">ケースに戻る</a>'
        "<span>ブラウザの印刷（Ctrl+P）でA4に印刷できます。</span></nav>"
    )
    with_css = document.replace("</head>", bar + "</head>", 1)
    return with_css.replace("<body>", "<body>" + tools, 1)


def agenda_kind(kind: str) -> str:
    """An agenda item's kind (重層的支援会議 or 支援会議 lists) in Japanese."""
    for table in ("multilayer_agenda_kinds", "support_meeting_agenda_kinds"):
        found = labels(table)
        if kind in found:
            return found[kind]
    return kind
