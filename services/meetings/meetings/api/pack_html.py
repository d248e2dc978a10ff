"""会議資料: the printable A4 agenda of one meeting, in Japanese, for one member agency.

Pure rendering of a ``domain.pack.Pack``: the use case decides what the member may see
(``domain.access``) and passes only that; an item the member may not see appears as a
numbered line with the reason and no case detail. Every value is HTML-escaped.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from kasane.fiscal_year import wareki_label
from kasane.reference.issue_codes import issue_code_labels
from kasane.reference.partners import party_name
from kasane.wareki import format_date
from meetings.domain.codes import (
    LEGAL_BASIS_LABELS,
    MEETING_TYPE_LABELS,
    MULTILAYER_KINDS,
    PROGRAM_LABELS,
    ROLE_CODES,
    SUPPORT_KINDS,
)
from meetings.domain.meeting import Meeting
from meetings.domain.pack import Pack, PackItem

_WEEKDAYS = "月火水木金土日"
_PLAN_STATUS = {
    "draft": "下書き",
    "submitted": "承認待ち",
    "approved": "承認済み",
    "returned": "差戻し",
    "ended": "終了",
}


def japanese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS[day.weekday()]}）"


def agency_name(agency_id: str | None) -> str:
    if agency_id is None:
        return "—"
    return party_name(agency_id)  # an agency or a 連携機関; an unknown id as itself


def e(value: object) -> str:
    return escape(str(value), quote=True)


def multiline(text: str | None) -> str:
    return "<br>".join(e(line) for line in (text or "").splitlines()) or "—"


CSS = """
@page { size: A4 portrait; margin: 15mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans JP", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo,
  sans-serif; font-size: 10.5pt; line-height: 1.6; color: #000; margin: 0; }
@media screen { body { max-width: 210mm; margin: 10mm auto; padding: 0 10mm; } }
h1 { font-size: 16pt; margin: 0 0 3mm; text-align: center; letter-spacing: 0.1em; }
h2 { font-size: 12pt; border-bottom: 1.5pt solid #000; margin: 6mm 0 2mm; }
h3 { font-size: 11pt; margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 2mm; }
th, td { border: 0.6pt solid #333; padding: 1.2mm 2mm; vertical-align: top; text-align: left; }
th { background: #eee; width: 28mm; font-weight: normal; white-space: nowrap; }
.confidential { border: 1.5pt solid #000; padding: 2mm 3mm; font-weight: bold; margin-bottom: 4mm; }
.item { border: 0.8pt solid #000; padding: 3mm; margin: 0 0 4mm; break-inside: avoid;
  page-break-inside: avoid; }
.hidden { color: #444; font-style: italic; }
.note { font-size: 9pt; }
.members { columns: 2; margin: 0; padding-left: 5mm; }
footer { margin-top: 6mm; font-size: 9pt; border-top: 0.6pt solid #000; padding-top: 2mm; }
@media print { a { color: #000; text-decoration: none; } }
"""


def render_pack(pack: Pack) -> str:
    meeting = pack.meeting
    title = (
        f"{wareki_label(meeting.fiscal_year)} {MEETING_TYPE_LABELS[meeting.meeting_type]}"
        f"{'（臨時）' if meeting.ad_hoc else ''} 会議資料"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        f"<title>{e(title)} {e(japanese_date(meeting.meeting_date))}</title>",
        f"<style>{CSS}</style></head><body>",
        _confidential(meeting),
        f"<h1>{e(title)}</h1>",
        _header_table(pack),
        *(f'<p class="note">{e(n)}</p>' for n in pack.notes),
        _members(pack),
        "<h2>議題</h2>",
    ]
    if not pack.items:
        parts.append("<p>議題はまだありません。</p>")
    parts += [_item(meeting, item) for item in pack.items]
    parts += [
        "<footer>本資料は会議の参加機関のみ閲覧できます。複写・転送・持ち出しをせず、"
        "会議終了後は運営者（多機関協働事業者）に返却してください。"
        f"（作成日 {e(japanese_date(pack.generated_on))}）</footer>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _confidential(meeting: Meeting) -> str:
    if meeting.meeting_type == "support_meeting":
        law = "支援会議の構成員には社会福祉法第106条の6第5項により守秘義務が課されています。"
    else:
        law = "本人の同意に基づき、同意の範囲内で共有する情報です。"
    return f'<div class="confidential">取扱注意（要配慮個人情報）　{law}</div>'


def _header_table(pack: Pack) -> str:
    meeting = pack.meeting
    held = japanese_date(meeting.meeting_date)
    if meeting.holiday and meeting.regular_date is not None:
        regular = japanese_date(meeting.regular_date)
        moved = meeting.regular_date != meeting.meeting_date
        held += f"　※第4水曜日（{regular}）が休日のため" + ("日程を変更" if moved else "要調整")
    rows = [
        (
            "会議",
            MEETING_TYPE_LABELS[meeting.meeting_type]
            + ("（臨時）" if meeting.ad_hoc else "（定例）"),
        ),
        ("年度", wareki_label(meeting.fiscal_year)),
        ("開催日", held),
        ("状態", "開催済み" if meeting.held else "開催予定"),
        ("運営", "多機関協働事業者（社会福祉法人久留米市社会福祉協議会）"),
        ("資料の宛先", agency_name(pack.viewer_agency_id)),
    ]
    body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _members(pack: Pack) -> str:
    support = pack.meeting.meeting_type == "support_meeting"
    lines = []
    for member in pack.members:
        extra = []
        if member.source == "case":
            extra.append("ケースに応じた参加")
        if support:
            extra.append(
                f"守秘義務誓約 {member.pledged_on.isoformat()}" if member.pledged_on else "誓約未了"
            )
        suffix = f"（{'・'.join(extra)}）" if extra else ""
        lines.append(f"<li>{e(agency_name(member.agency_id))}{e(suffix)}</li>")
    return f'<h2>参加機関</h2><ul class="members">{"".join(lines)}</ul>'


def _kind_label(kind: str) -> str:
    return MULTILAYER_KINDS.get(kind) or SUPPORT_KINDS.get(kind) or kind


def _item(meeting: Meeting, item: PackItem) -> str:
    head = f"<h3>議題{item.position}　{e(_kind_label(item.kind))}</h3>"
    if item.hidden_reason is not None:
        reason = e(item.hidden_reason)
        hidden = f"この議題の詳細は表示できません（{reason}）。"
        return f'<div class="item">{head}<p class="hidden">{hidden}</p></div>'
    rows = [
        ("ケースID", str(item.case_id)),
        ("共有の根拠", LEGAL_BASIS_LABELS.get(item.legal_basis or "", item.legal_basis or "—")),
        ("報告機関", agency_name(item.presenting_agency_id)),
        ("主担当機関", agency_name(item.lead_agency_id)),
    ]
    rows += profile_rows(item.profile)
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    table += f"<tr><th>報告内容</th><td>{multiline(item.summary)}</td></tr>"
    parts = [f'<div class="item">{head}']
    if not item.consent_valid:
        parts.append('<p class="hidden">※本人同意が撤回または失効しています。協議できません。</p>')
    parts.append(f"<table>{table}</table>")
    if item.plan is not None:
        parts.append(_plan(item.plan))
    if item.decision is not None:
        parts.append(_decision(item.decision))
    parts.append("</div>")
    return "".join(parts)


def _plan(plan: dict[str, Any]) -> str:
    program = PROGRAM_LABELS.get(plan["program"], plan["program"])
    status = _PLAN_STATUS.get(plan["status"], plan["status"])
    review = plan.get("review_on")
    review_text = format_date(review) if isinstance(review, date) else "—"
    rows = [("プラン", f"{program}プラン（{status}）"), ("見直し時期", review_text)]
    html = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    content = plan.get("content")
    goals = plan.get("goals") or []
    if not content and goals:
        # Another program's plan: its goals as codes (the wording stays in that program,
        # which presents the plan at the meeting).
        steps = " → ".join(e(g["label"]) for g in goals)
        html += f"<tr><th>目標（段階）</th><td>{steps}</td></tr>"
    elif not content:
        html += "<tr><th>目標</th><td>プラン作成機関が会議で説明します。</td></tr>"
    if content:
        labels = issue_code_labels()
        issues = "".join(
            f"<li>{e(labels.get(i['issue_code'], i['issue_code']))}"
            + (f"：{e(i['description'])}" if i.get("description") else "")
            + "</li>"
            for i in content.get("issues", [])
        )
        goals = "".join(f"<li>{e(g)}</li>" for g in content.get("short_term_goals", []))
        roles = "".join(
            f"<li>{'◎' if r.get('lead') else '○'} {e(agency_name(r['agency_id']))}："
            f"{e(ROLE_CODES.get(r['role_code'], r['role_code']))}"
            + (f"（{e(r['tasks'])}）" if r.get("tasks") else "")
            + "</li>"
            for r in content.get("roles", [])
        )
        html += (
            f"<tr><th>本人・世帯の希望</th><td>{multiline(content.get('household_wishes'))}</td></tr>"
            f"<tr><th>課題</th><td><ul>{issues}</ul></td></tr>"
            f"<tr><th>長期目標</th><td>{multiline(content.get('long_term_goal'))}</td></tr>"
            f"<tr><th>短期目標</th><td><ol>{goals}</ol></td></tr>"
            f"<tr><th>役割分担</th><td><ul>{roles}</ul>◎主担当</td></tr>"
        )
    return f"<table>{html}</table>"


def profile_rows(profile: dict[str, Any] | None) -> list[tuple[str, str]]:
    """世帯概要 rows of an item: 年代, 校区 name, household flags and size, issue labels."""
    if profile is None:
        return [("世帯概要", "（相談受付の情報がまだ届いていません）")]
    household = profile.get("household")
    if household is None:
        situation = "世帯未登録"
    else:
        flags = "・".join(s["label"] for s in household["situations"]) or "該当なし"
        size = household.get("size_band_label") or "—"
        situation = f"{flags}（世帯人数 {size}）"
    issues = "、".join(i["label"] for i in profile["issues"]) or "—"
    extra = [
        label
        for flag, label in (("is_complex", "複合的な課題"), ("between_systems", "制度の狭間"))
        if profile.get(flag)
    ]
    if extra:
        issues += f"（{'・'.join(extra)}）"
    return [
        ("年代", profile.get("age_band_label") or "—"),
        ("校区", profile.get("school_district_name") or "—"),
        ("世帯の状況", situation),
        ("課題", issues),
    ]


def decision_rows(decision: dict[str, Any]) -> str:
    """A decision as minuted (labelled by ``domain.minutes.decision_out``), as table rows."""
    rows = [("決定", decision["outcome_label"])]
    if decision.get("end_kind_label"):
        rows.append(("終了の区分", decision["end_kind_label"]))
    if decision.get("reason_label"):
        rows.append(("理由", decision["reason_label"]))
    if decision.get("escalate_to_label"):
        rows.append(("つなぎ先", decision["escalate_to_label"]))
    if decision.get("gaps"):
        rows.append(("不足する社会資源", "、".join(g["category_label"] for g in decision["gaps"])))
    if decision.get("next_review_on"):
        rows.append(("次回見直し", format_date(decision["next_review_on"])))
    html = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    if decision.get("roles"):
        roles = "".join(
            f"<li>{'◎' if r['lead'] else '○'} {e(r['agency_name'])}：{e(r['role_label'])}"
            + (f"（{e(r['tasks'])}）" if r.get("tasks") else "")
            + "</li>"
            for r in decision["roles"]
        )
        html += f"<tr><th>役割分担</th><td><ul>{roles}</ul>◎主担当</td></tr>"
    if decision.get("evaluation"):
        html += f"<tr><th>評価</th><td>{multiline(decision['evaluation'])}</td></tr>"
    if decision.get("minutes"):
        html += f"<tr><th>協議の内容</th><td>{multiline(decision['minutes'])}</td></tr>"
    return html


def _decision(decision: dict[str, Any]) -> str:
    return f"<table>{decision_rows(decision)}</table>"
