"""The city's screens (地域福祉課): the indicators dashboard, targets and survey results.
Pure rules: labels for what the indicators service answers, and the forms read into the
bodies its API takes (errors next to the fields, in Japanese).

The indicator names come with the service's answer (``name_ja``). The survey questions are
the ones the service validates against; their one home is
``kasane.reference.survey_questions`` (the portal imports no service). The figure names are
the portal's own wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from kasane.fiscal_year import fiscal_year_of, wareki_label
from kasane.reference import get_school_district, is_valid_school_district
from kasane.reference.survey_questions import survey_questions
from portal.domain.navigation import agency_name
from portal.domain.program_forms import FormErrors, text

SURVEY_QUESTIONS: Final[dict[str, str]] = survey_questions()

PROGRESS_METHODS: Final[dict[str, str]] = {
    "achievement_rate": "達成率（実績÷目標）",
    "gap_closed": "改善の到達度（(実績−基準)÷(目標−基準)）",
}

# The operational figures the dashboard shows as one number each (運用指標の主なもの).
SINGLE_FIGURES: Final[dict[str, tuple[str, str]]] = {
    "consultations.total": ("相談受付件数", "件"),
    "consultations.complex": ("複合的な課題を抱える相談", "件"),
    "consultations.complex_share": ("複合的な課題の割合", "%"),
    "consultations.between_systems": ("制度の狭間の相談", "件"),
    "consultations.between_systems_share": ("制度の狭間の割合", "%"),
    "cases.closed": ("終結したケース", "件"),
    "referrals.requested": ("つなぎ 依頼", "件"),
    "referrals.accepted": ("つなぎ 受付", "件"),
    "referrals.declined": ("つなぎ 辞退", "件"),
    "referrals.acceptance_days_median": ("つなぎ受付までの日数（中央値）", "日"),
    "referrals.overdue_open": ("期限を過ぎて未回答のつなぎ", "件"),
    "meetings.resource_gaps": ("会議で挙がった社会資源の不足", "件"),
}

# Figures broken down by a key, with how each key is named for staff.
KEYED_FIGURES: Final[dict[str, str]] = {
    "consultations.by_agency": "機関別 相談受付件数",
    "consultations.new_by_agency": "機関別 新規相談受付件数",
    "plans.approved": "プラン作成件数（事業別）",
    "meetings.held": "会議の開催回数",
    "community.watch_visits_by_district": "校区別 見守り訪問件数",
}

PROGRAMS: Final[dict[str, str]] = {
    "participation": "参加支援",
    "outreach": "アウトリーチ",
    "multiagency": "多機関協働",
}
MEETING_TYPES: Final[dict[str, str]] = {
    "multilayer_meeting": "重層的支援会議",
    "support_meeting": "支援会議",
}

EXPORTS: Final[dict[str, tuple[str, str]]] = {
    "indicators.csv": ("目標・評価指標（CSV）", "text/csv; charset=utf-8"),
    "indicators.xlsx": (
        "目標・評価指標と内訳表（Excel）",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def current_fiscal_year(today: date) -> int:
    return fiscal_year_of(today)


def year_choices(today: date) -> list[tuple[int, str]]:
    """The years staff pick from: the past four, this one and the next (targets are set
    ahead)."""
    now = current_fiscal_year(today)
    return [(fy, wareki_label(fy)) for fy in range(now + 1, now - 5, -1)]


def chosen_year(raw: str | None, today: date) -> int:
    """``?fiscal_year=`` if it is one of the choices, else this year."""
    allowed = {fy for fy, _ in year_choices(today)}
    try:
        year = int(raw or "")
    except ValueError:
        return current_fiscal_year(today)
    return year if year in allowed else current_fiscal_year(today)


def key_label(figure: str, key: str) -> str:
    if figure in ("consultations.by_agency", "consultations.new_by_agency"):
        return agency_name(key)
    if figure == "plans.approved":
        return PROGRAMS.get(key, key)
    if figure == "meetings.held":
        return MEETING_TYPES.get(key, key)
    if figure == "community.watch_visits_by_district" and is_valid_school_district(key):
        return get_school_district(key).name_ja
    return key


@dataclass(frozen=True)
class FigureRow:
    label: str
    value: float | int | None
    unit: str


@dataclass(frozen=True)
class FigureGroup:
    title: str
    rows: list[FigureRow]


def _number(value: Any) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int | float) else None


def single_figures(figures: list[dict[str, Any]]) -> list[FigureRow]:
    found = {f["figure"]: f for f in figures if f.get("key", "") == ""}
    return [
        FigureRow(label, _number(found[name]["value"]) if name in found else 0, unit)
        for name, (label, unit) in SINGLE_FIGURES.items()
    ]


def keyed_figures(figures: list[dict[str, Any]]) -> list[FigureGroup]:
    groups = []
    for name, title in KEYED_FIGURES.items():
        rows = [
            FigureRow(key_label(name, f["key"]), _number(f["value"]), "")
            for f in figures
            if f["figure"] == name and f.get("key")
        ]
        groups.append(FigureGroup(title, sorted(rows, key=lambda r: -(r.value or 0))))
    return groups


def _amount(raw: str, name: str, label: str, errors: FormErrors) -> Decimal | None:
    """A non-negative number typed by staff (全角 digits and 3-digit commas tolerated)."""
    cleaned = raw.translate(_FULL_WIDTH).replace(",", "").strip()
    if not cleaned:
        errors.add(name, f"{label}を入力してください")
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        errors.add(name, f"{label}は数字で入力してください")
        return None
    if not value.is_finite() or value < 0:
        errors.add(name, f"{label}は0以上の数で入力してください")
        return None
    return value


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

TARGET_FIELDS: Final[dict[str, str]] = {
    "target": "target",
    "body": "target",
    "indicator_id": "indicator_id",
    "fiscal_year": "fiscal_year",
}


@dataclass(frozen=True)
class TargetEntry:
    indicator_id: str
    fiscal_year: int
    body: dict[str, Any]


def target_entry(
    form: Any, indicators: dict[str, str], years: list[int]
) -> tuple[TargetEntry | None, FormErrors]:
    """The targets form → ``PUT /targets/{indicator}/{fy}`` with ``{"target": n}``."""
    errors = FormErrors()
    indicator_id = text(form, "indicator_id")
    if indicator_id not in indicators:
        errors.add("indicator_id", "指標を選んでください")
    year_text = text(form, "fiscal_year")
    year = int(year_text) if year_text.isdigit() else 0
    if year not in years:
        errors.add("fiscal_year", "年度を選んでください")
    value = _amount(text(form, "target"), "target", "目標値", errors)
    if errors or value is None:
        return None, errors
    number: int | float = int(value) if value == value.to_integral_value() else float(value)
    return TargetEntry(indicator_id, year, {"target": number}), errors


def survey_field(question_id: str, part: str) -> str:
    return f"{question_id}__{part}"


def survey_body(form: Any, years: list[int]) -> tuple[dict[str, Any] | None, FormErrors]:
    """The survey form → ``POST /surveys`` ``{"fiscal_year", "results": [...]}``; a question
    left blank is not sent (the effective result of an earlier load stays)."""
    errors = FormErrors()
    year_text = text(form, "fiscal_year")
    year = int(year_text) if year_text.isdigit() else 0
    if year not in years:
        errors.add("fiscal_year", "年度を選んでください")
    results = []
    for question_id in SURVEY_QUESTIONS:
        answered = _survey_answer(form, question_id, errors)
        if answered is not None:
            results.append(answered)
    if not results and not errors:
        errors.notice = "少なくとも1つの設問の回答者数と「はい」の数を入力してください。"
    if errors:
        return None, errors
    return {"fiscal_year": year, "results": results}, errors


def _survey_answer(form: Any, question_id: str, errors: FormErrors) -> dict[str, Any] | None:
    """One question's counts, or None when left blank or wrong (then an error is added)."""
    label = SURVEY_QUESTIONS[question_id]
    total_name = survey_field(question_id, "respondents")
    yes_name = survey_field(question_id, "yes")
    if not text(form, total_name) and not text(form, yes_name):
        return None
    respondents = _amount(text(form, total_name), total_name, f"「{label}」の回答者数", errors)
    yes = _amount(text(form, yes_name), yes_name, f"「{label}」の「はい」の数", errors)
    if respondents is None or yes is None:
        return None
    if respondents != respondents.to_integral_value() or yes != yes.to_integral_value():
        errors.add(total_name, f"「{label}」の人数は整数で入力してください")
        return None
    return {"question_id": question_id, "respondents": int(respondents), "yes": int(yes)}


def survey_errors(body: Any, default: str, sent: dict[str, Any]) -> FormErrors:
    """The service's refusal of a survey load: ``results.N.yes`` → that question's field."""
    found = FormErrors()
    items = body.get("errors", []) if isinstance(body, dict) else []
    results = sent.get("results", [])
    for item in items:
        parts = str(item.get("field", "")).removeprefix("body.").split(".")
        reason = str(item.get("reason", "")).split(" / ", 1)[0].strip()
        if parts[0] == "results" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(results):
                part = parts[2] if len(parts) > 2 and parts[2] in ("yes", "respondents") else "yes"
                found.add(survey_field(results[index]["question_id"], part), reason)
                continue
        if parts[0] == "fiscal_year":
            found.add("fiscal_year", reason)
            continue
        found.notice = reason or default
    if not found:
        found.notice = default
    return found
