"""相談受付・申込票 / インテーク・アセスメント as an A4 HTML page (pure rendering).

The items follow the 帳票 used for 包括的相談支援 (相談受付・申込票 and インテーク・アセスメント
シート of the 自立相談支援 forms the 重層的支援体制整備事業 builds on). Items marked ★ feed the
counts the city reports (新規相談受付件数, 複合的な課題, 制度の狭間, 年代, 校区, 相談経路).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from intake.domain.models import Case, CaseRecord, ConsentRecord, Consultation, Member
from intake.domain.vocab import (
    CARE_ROLE_LABELS,
    RECORD_KIND_LABELS,
    RELATIONSHIP_LABELS,
    SEX_LABELS,
    URGENCY_LABELS,
)
from kasane.reference.agencies import get_agency
from kasane.reference.enumerations import labels
from kasane.reference.issue_codes import issue_code_labels
from kasane.reference.partners import party_name
from kasane.reference.school_districts import get_school_district, is_valid_school_district
from kasane.wareki import format_date

JST = ZoneInfo("Asia/Tokyo")

_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif;
       font-size: 10.5pt; color: #111; margin: 0; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 2mm; letter-spacing: .2em; }
h2 { font-size: 11pt; background: #e8eef4; padding: 1mm 2mm; margin: 4mm 0 1mm;
     border-left: 3px solid #35608a; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #555; padding: 1.2mm 2mm; vertical-align: top; text-align: left; }
th { width: 28%; background: #f5f5f5; font-weight: normal; }
.meta { text-align: right; font-size: 9pt; }
.star::before { content: "★"; color: #b03; margin-right: 1mm; }
.legend { font-size: 8.5pt; margin-top: 3mm; }
.narrative { white-space: pre-wrap; min-height: 25mm; }
@media print { h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _day(value: date | datetime | None) -> str:
    """和暦, as staff read dates on a form (a time is shown as its day in Japan)."""
    if value is None:
        return ""
    day = value.astimezone(JST).date() if isinstance(value, datetime) else value
    return format_date(day)


def _district(code: str | None) -> str:
    """The 校区's name; a code the reference data no longer has is shown as it is."""
    if not code:
        return ""
    return get_school_district(code).name_ja if is_valid_school_district(code) else code


def _row(label: str, value: Any, reported: bool = False) -> str:
    cls = ' class="star"' if reported else ""
    return f"<tr><th{cls}>{_e(label)}</th><td>{value}</td></tr>"


def _age(birth: date | None, today: date) -> str:
    if birth is None:
        return ""
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return f"{age}歳"


def _reception(case: Case, first: Consultation | None) -> list[str]:
    channels, consulted_by = labels("channels"), labels("consulted_by")
    return [
        "<h2>1. 受付</h2><table>",
        _row("受付日", _e(_day(first.received_at) if first else ""), True),
        _row("受付機関（主担当）", _e(get_agency(case.lead_agency_id).name_ja)),
        _row("相談経路", _e(channels.get(first.channel, "") if first else ""), True),
        _row("相談者", _e(consulted_by.get((first and first.consulted_by) or "", ""))),
        _row("緊急度", _e(URGENCY_LABELS.get(first.urgency, "") if first else "")),
        "</table>",
    ]


def _person(case: Case, me: Member | None, today: date) -> list[str]:
    if me is None:
        return ["<h2>2. 本人</h2><table>", _row("本人", "（未登録）"), "</table>"]
    return [
        "<h2>2. 本人</h2><table>",
        _row("氏名", _e(me.name)),
        _row("ふりがな", _e(me.kana)),
        _row("生年月日（年齢）", f"{_e(_day(me.birth_date))}　{_age(me.birth_date, today)}", True),
        _row("性別", _e(SEX_LABELS.get(me.sex or "", ""))),
        _row("住所", _e(me.address)),
        _row("電話", _e(me.phone)),
        _row("校区", _e(_district(me.school_district_code or case.school_district_code)), True),
        "</table>",
    ]


def _household(members: Sequence[Member], today: date) -> list[str]:
    parts = [
        "<h2>3. 世帯構成</h2><table>",
        "<tr><th>続柄</th><td>氏名（年齢）・介護等の役割</td></tr>",
    ]
    for m in members:
        role = CARE_ROLE_LABELS.get(m.care_role or "", "")
        parts.append(
            _row(
                RELATIONSHIP_LABELS.get(m.relationship, m.relationship),
                f"{_e(m.name)}（{_age(m.birth_date, today)}）{_e(role)}",
            )
        )
    return [*parts, "</table>"]


def _between_systems(case: Case, consultations: Sequence[Consultation]) -> str:
    if not case.between_systems:
        return "—"
    reason = next((c.between_systems_reason for c in consultations if c.between_systems), "")
    return _e("該当：" + (reason or ""))


def _issues(case: Case, consultations: Sequence[Consultation]) -> list[str]:
    issue_labels, outcomes = issue_code_labels(), labels("consultation_outcomes")
    codes = "、".join(issue_labels.get(c, c) for c in case.issue_codes) or "（未整理）"
    first = consultations[0] if consultations else None
    parts = [
        "<h2>4. 相談内容と課題の整理</h2><table>",
        _row("課題", _e(codes), True),
        _row("複合的な課題", "該当" if any(c.is_complex for c in consultations) else "—", True),
        _row("制度の狭間", _between_systems(case, consultations), True),
    ]
    for c in consultations:
        parts.append(
            _row(
                f"相談内容（{_e(_day(c.received_at))}）",
                f"<div class='narrative'>{_e(c.narrative)}</div>",
            )
        )
    outcome = (first and first.outcome) or ""
    return [*parts, _row("対応結果", _e(outcomes.get(outcome, "")), True), "</table>"]


def _consents(consents: Sequence[ConsentRecord]) -> list[str]:
    methods = labels("consent_methods")
    parts = ["<h2>5. 本人同意（情報共有）</h2><table>"]
    for c in consents:
        state = f"撤回 {_day(c.withdrawn_on)}" if c.withdrawn_on else "有効"
        scope = "、".join(party_name(a) for a in c.scope_agencies) or "—"
        parts.append(
            _row(
                f"{_e(_day(c.consented_on))}（{_e(methods.get(c.method, ''))}）",
                f"{_e(scope)}／{_e(state)}",
            )
        )
    if not consents:
        parts.append(_row("同意", "未取得（支援会議での共有は法第106条の6による）"))
    return [*parts, "</table>"]


def _timeline(records: Sequence[CaseRecord]) -> list[str]:
    parts = ["<h2>6. 支援経過</h2><table>"]
    for r in records:
        parts.append(
            _row(
                f"{_e(_day(r.occurred_at))} {_e(RECORD_KIND_LABELS.get(r.kind, ''))}",
                f"<div class='narrative'>{_e(r.body)}</div>",
            )
        )
    return [*parts, "</table>"]


def render_sheet(
    case: Case,
    members: Sequence[Member],
    consultations: Sequence[Consultation],
    consents: Sequence[ConsentRecord],
    records: Sequence[CaseRecord],
    today: date,
) -> str:
    first = consultations[0] if consultations else None
    me = next((m for m in members if m.relationship == "self"), None)
    parts = [
        "<!doctype html><html lang='ja'><head><meta charset='utf-8'>",
        f"<title>相談受付・申込票 {_e(case.id)}</title><style>{_CSS}</style></head><body>",
        "<h1>相談受付・申込票／インテーク・アセスメント</h1>",
        f"<p class='meta'>ケース番号 {_e(case.id)}　出力日 {_e(_day(today))}</p>",
        *_reception(case, first),
        *_person(case, me, today),
        *_household(members, today),
        *_issues(case, consultations),
        *_consents(consents),
        *_timeline(records),
        "<p class='legend'>★ 国・市への報告（新規相談受付件数、複合的な課題、制度の狭間等）に"
        "用いる項目。本票は要配慮個人情報を含みます。取扱いに注意し、閲覧・出力は記録されます。</p>",
        "</body></html>",
    ]
    return "".join(parts)
