"""社協 地域づくり screens: the ふれあいの会 watch-visit grid (校区 × month of a 年度) and the
見守りネットワーク concern form. Pure rules: the grid built from the service's cells, the
forms read into the bodies its API takes, labels for its codes.

The code labels' one home is ``kasane.reference.program_codes``, the lists the community
service validates against (the portal imports no service). 校区 names and issue labels come
from kasane.reference too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from kasane.fiscal_year import fiscal_year_bounds
from kasane.reference import issue_code_labels, program_codes, school_districts
from kasane.reference.programs import Program, catalog
from kasane.wareki import format_month
from portal.domain.labels import URGENCIES as URGENCIES  # re-exported: the concern form's choices
from portal.domain.program_forms import FormErrors, optional_date, required_date, text

REPORTER_TYPES: Final[dict[str, str]] = program_codes.labels("community_reporter_types")
RESOURCE_CATEGORIES: Final[dict[str, str]] = program_codes.labels("community_resource_categories")
COUNCIL_TOPICS: Final[dict[str, str]] = program_codes.labels("community_council_topics")

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def months_of(fiscal_year: int) -> list[str]:
    """``yyyy-mm`` of the 年度's twelve months, April first."""
    first, _ = fiscal_year_bounds(fiscal_year)
    return [
        f"{first.year + (first.month + i - 1) // 12}-{(first.month + i - 1) % 12 + 1:02d}"
        for i in range(12)
    ]


def month_label(month: str) -> str:
    """2026-06 → 令和8年6月."""
    year, number = month.split("-")
    return format_month(int(year), int(number))


def is_future(month: str, today: date) -> bool:
    return month > f"{today.year}-{today.month:02d}"


def district_names() -> dict[str, str]:
    return {d.code: d.name_ja for d in school_districts()}


@dataclass(frozen=True)
class GridCell:
    month: str
    visits: int | None  # None: not reported yet
    editable: bool  # a month not in the future


@dataclass(frozen=True)
class GridRow:
    code: str
    name: str
    cells: list[GridCell]
    total: int


def grid(fiscal_year: int, cells: list[dict[str, Any]], today: date) -> list[GridRow]:
    """One row per 校区 (the reference order), one cell per month of the 年度."""
    found = {(c["school_district_code"], c["month"]): int(c["visits"]) for c in cells}
    months = months_of(fiscal_year)
    rows = []
    for code, name in district_names().items():
        row = [GridCell(m, found.get((code, m)), not is_future(m, today)) for m in months]
        rows.append(GridRow(code, name, row, sum(c.visits or 0 for c in row)))
    return rows


def month_totals(rows: list[GridRow]) -> list[int]:
    return [sum(r.cells[i].visits or 0 for r in rows) for i in range(12)]


def visits_body(form: Any) -> tuple[dict[str, int] | None, FormErrors]:
    errors = FormErrors()
    raw = text(form, "visits").translate(str.maketrans("０１２３４５６７８９，", "0123456789,"))
    raw = raw.replace(",", "")
    if not raw:
        errors.add("visits", "訪問件数を入力してください")
    elif not raw.isdigit():
        errors.add("visits", "訪問件数は0以上の整数で入力してください")
    return (None, errors) if errors else ({"visits": int(raw)}, errors)


VISITS_FIELDS: Final[dict[str, str]] = {"visits": "visits", "month": "visits", "body": "visits"}

CONCERN_FIELDS: Final[dict[str, str]] = {
    name: name
    for name in (
        "school_district_code",
        "reporter_type",
        "urgency",
        "issue_codes",
        "noticed",
        "location",
        "reporter_contact",
        "reported_on",
    )
}


def issue_labels() -> dict[str, str]:
    return issue_code_labels()


def concern_body(form: Any) -> tuple[dict[str, Any] | None, FormErrors]:
    """The concern form → ``POST /concerns``. What was noticed and where are personal data:
    they go to the community service in the body, never into a URL or a log line."""
    errors = FormErrors()
    district = text(form, "school_district_code")
    if district not in district_names():
        errors.add("school_district_code", "校区を選んでください")
    reporter = text(form, "reporter_type")
    if reporter not in REPORTER_TYPES:
        errors.add("reporter_type", "通報者の種別を選んでください")
    urgency = text(form, "urgency") or "normal"
    if urgency not in URGENCIES:
        errors.add("urgency", "緊急度を選んでください")
    codes = [c for c in form.getlist("issue_codes") if isinstance(c, str)]
    labels = issue_labels()
    if any(c not in labels for c in codes):
        errors.add("issue_codes", "課題の種類を一覧から選んでください")
    if not text(form, "noticed"):
        errors.add("noticed", "気づいたことを入力してください")
    if not text(form, "location"):
        errors.add("location", "場所を入力してください")
    reported_on = optional_date(form, "reported_on", "通報日", errors)
    if errors:
        return None, errors
    body: dict[str, Any] = {
        "school_district_code": district,
        "reporter_type": reporter,
        "urgency": urgency,
        "issue_codes": codes,
        "noticed": text(form, "noticed"),
        "location": text(form, "location"),
    }
    if text(form, "reporter_contact"):
        body["reporter_contact"] = text(form, "reporter_contact")
    if reported_on is not None:
        body["reported_on"] = reported_on.isoformat()
    return body, errors


COUNCIL_FIELDS: Final[dict[str, str]] = {
    name: name
    for name in ("school_district_code", "held_on", "participants", "topic_codes", "notes")
}


def council_body(form: Any, today: date) -> tuple[dict[str, Any] | None, FormErrors]:
    """The 支え合い推進会議 form → ``POST /support-councils``. The notes may name residents:
    they stay in the community service (never published in an event)."""
    errors = FormErrors()
    district = text(form, "school_district_code")
    if district not in district_names():
        errors.add("school_district_code", "校区を選んでください")
    held_on = required_date(form, "held_on", "開催日", errors, today=today)
    raw = text(form, "participants").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not raw.isdigit():
        errors.add("participants", "参加者数は0以上の整数で入力してください")
    topics = [c for c in form.getlist("topic_codes") if isinstance(c, str)]
    if any(c not in COUNCIL_TOPICS for c in topics):
        errors.add("topic_codes", "協議テーマを一覧から選んでください")
    if errors or held_on is None:
        return None, errors
    body: dict[str, Any] = {
        "school_district_code": district,
        "held_on": held_on.isoformat(),
        "participants": int(raw),
        "topic_codes": topics,
    }
    if text(form, "notes"):
        body["notes"] = text(form, "notes")
    return body, errors


REPORTING_ROLES = frozenset({"coordinator", "manager", "city_official"})


def reported_programs(agency: str, roles: frozenset[str]) -> list[Program]:
    """The programs whose activity this user reports: those their agency operates (the
    shared catalog's ``operator_agency_id``); an umbrella program has no reports itself."""
    if not roles & REPORTING_ROLES:
        return []
    return [
        p for p in catalog().programs if p.operation is not None and p.operator_agency_id == agency
    ]


ACTIVITY_FIELDS: Final[dict[str, str]] = {
    name: name
    for name in ("month", "school_district_code", "component_code", "sessions", "participants")
}


def _count(form: Any, name: str, label: str, errors: FormErrors) -> int | None:
    raw = text(form, name).translate(str.maketrans("０１２３４５６７８９，", "0123456789,"))
    raw = raw.replace(",", "")
    if not raw.isdigit():
        errors.add(name, f"{label}は0以上の整数で入力してください")
        return None
    return int(raw)


def activity_body(
    form: Any, program: Program, months: list[str]
) -> tuple[dict[str, Any] | None, FormErrors]:
    """The activity form → ``POST /programs/{code}/activity`` (a 講座・施設 when the program is
    reported per unit; 校区 optional: blank is city-wide)."""
    errors = FormErrors()
    month = text(form, "month")
    if month not in months:
        errors.add("month", "月を選んでください")
    district = text(form, "school_district_code")
    if district and district not in district_names():
        errors.add("school_district_code", "校区を一覧から選んでください")
    unit = text(form, "component_code")
    if len(program.units) > 1 and unit not in program.units:
        errors.add("component_code", "講座・施設を選んでください")
    sessions = _count(form, "sessions", "実施回数", errors)
    participants = _count(form, "participants", "参加者数", errors)
    if errors or sessions is None or participants is None:
        return None, errors
    body: dict[str, Any] = {"month": month, "sessions": sessions, "participants": participants}
    if district:
        body["school_district_code"] = district
    if unit and unit in program.units:
        body["component_code"] = unit
    return body, errors


RESOURCE_FIELDS: Final[dict[str, str]] = {
    "organization": "org_name",
    "service.name": "service_name",
    "service.category": "category",
    "service.program_code": "program_code",
    "service.description": "description",
    "location.name": "location_name",
    "location.address": "address",
    "location.school_district_code": "school_district_code",
    "capacity": "capacity",
    "eligibility": "age_min",
    "eligibility.age_min": "age_min",
    "eligibility.age_max": "age_max",
}


def resource_programs() -> dict[str, str]:
    return {p.code: p.name_ja for p in catalog().programs if p.operation is not None}


def resource_values(doc: dict[str, Any]) -> dict[str, str]:
    """A stored entry → the edit form's fields."""
    service, location = doc.get("service") or {}, doc.get("location") or {}
    eligibility = doc.get("eligibility") or {}

    def show(value: Any) -> str:
        return "" if value is None else str(value)

    return {
        "org_name": show((doc.get("organization") or {}).get("name")),
        "service_name": show(service.get("name")),
        "category": show(service.get("category")),
        "program_code": show(service.get("program_code")),
        "description": show(service.get("description")),
        "location_name": show(location.get("name")),
        "address": show(location.get("address")),
        "school_district_code": show(location.get("school_district_code")),
        "capacity": show(doc.get("capacity")),
        "age_min": show(eligibility.get("age_min")),
        "age_max": show(eligibility.get("age_max")),
    }


def _optional_count(form: Any, name: str, label: str, errors: FormErrors) -> int | None:
    return _count(form, name, label, errors) if text(form, name) else None


def resource_body(
    form: Any, current: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, FormErrors]:
    """The directory form → ``POST /resources`` or ``PUT /resources/{id}``. An edit keeps
    what the form does not show (schedules, contact details) from the stored entry."""
    errors = FormErrors()
    for name, label in (("org_name", "運営団体名"), ("service_name", "名称")):
        if not text(form, name):
            errors.add(name, f"{label}を入力してください")
    category = text(form, "category")
    if category not in RESOURCE_CATEGORIES:
        errors.add("category", "種類を選んでください")
    program = text(form, "program_code")
    if program and program not in resource_programs():
        errors.add("program_code", "事業を一覧から選んでください")
    district = text(form, "school_district_code")
    if district and district not in district_names():
        errors.add("school_district_code", "校区を一覧から選んでください")
    capacity = _optional_count(form, "capacity", "定員", errors)
    age_min = _optional_count(form, "age_min", "対象年齢（下限）", errors)
    age_max = _optional_count(form, "age_max", "対象年齢（上限）", errors)
    if errors:
        return None, errors
    base = {k: v for k, v in (current or {}).items() if k in ("organization", "service",
            "location", "schedules", "eligibility")}  # fmt: skip
    organization = {**base.get("organization", {}), "name": text(form, "org_name")}
    service = {
        **base.get("service", {}),
        "name": text(form, "service_name"),
        "category": category,
        "program_code": program or None,
        "description": text(form, "description") or None,
    }
    location = {
        **base.get("location", {}),
        "name": text(form, "location_name") or None,
        "address": text(form, "address") or None,
        "school_district_code": district or None,
    }
    eligibility = {**base.get("eligibility", {}), "age_min": age_min, "age_max": age_max}
    body = {
        "organization": organization,
        "service": service,
        "location": location,
        "schedules": base.get("schedules", []),
        "eligibility": eligibility,
        "capacity": capacity,
    }
    return body, errors
