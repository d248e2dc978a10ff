"""議事録: the printable A4 minutes of one meeting, in Japanese, with 和暦 dates.

Pure rendering of a ``domain.minutes.Minutes`` (what the viewer may see was decided by the
use case); shares the pack's print CSS and rows so both documents read alike. Every value
is HTML-escaped.
"""

from __future__ import annotations

from kasane.fiscal_year import wareki_label
from kasane.wareki import format_date
from meetings.api.pack_html import CSS, decision_rows, e, multiline, profile_rows
from meetings.domain.codes import MEETING_TYPE_LABELS
from meetings.domain.minutes import Minutes, agency_name, kind_label
from meetings.domain.pack import PackItem

_MINUTES_CSS = """
.attendance td.mark { width: 18mm; text-align: center; }
.draft { border: 1.5pt dashed #000; padding: 2mm 3mm; margin-bottom: 4mm; }
.sign { margin-top: 8mm; text-align: right; }
"""


def render_minutes(minutes: Minutes) -> str:
    meeting = minutes.meeting
    title = (
        f"{wareki_label(meeting.fiscal_year)} {MEETING_TYPE_LABELS[meeting.meeting_type]}"
        f"{'（臨時）' if meeting.ad_hoc else ''} 議事録"
    )
    held_on = meeting.held_on or meeting.meeting_date
    rows = [
        ("開催日", format_date(held_on, weekday=True)),
        ("開催場所", meeting.place or "—"),
        (
            "会議",
            MEETING_TYPE_LABELS[meeting.meeting_type]
            + ("（臨時）" if meeting.ad_hoc else "（定例）"),
        ),
        ("運営", "多機関協働事業者（社会福祉法人久留米市社会福祉協議会）"),
        ("配布先", agency_name(minutes.viewer_agency_id)),
    ]
    header = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        f"<title>{e(title)} {e(format_date(held_on, weekday=True))}</title>",
        f"<style>{CSS}{_MINUTES_CSS}</style></head><body>",
        '<div class="confidential">取扱注意（要配慮個人情報）　'
        "参加機関以外への複写・転送を禁じます。</div>",
    ]
    if not minutes.final:
        parts.append(
            '<p class="draft">（案）会議はまだ終了していません。決定事項は確定前です。</p>'
        )
    parts += [
        f"<h1>{e(title)}</h1>",
        f"<table>{header}</table>",
        _attendance(minutes),
        "<h2>協議事項と決定</h2>",
    ]
    if not minutes.items:
        parts.append("<p>議題はありませんでした。</p>")
    parts += [_item(item) for item in minutes.items]
    parts += [
        f'<p class="sign">記録　多機関協働事業者'
        f"（作成日 {e(format_date(minutes.generated_on, weekday=True))}）</p>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _attendance(minutes: Minutes) -> str:
    rows = []
    for attendee in minutes.attendance:
        mark = {True: "出席", False: "欠席", None: "—"}[attendee.present]
        rows.append(
            f'<tr><td>{e(agency_name(attendee.agency_id))}</td><td class="mark">{e(mark)}</td></tr>'
        )
    present = sum(1 for a in minutes.attendance if a.present)
    summary = (
        f"出席 {present} 機関 ／ 参加機関 {len(minutes.attendance)} 機関"
        if minutes.final
        else "出欠は会議の終了時に記録します。"
    )
    return (
        f'<h2>出欠</h2><p class="note">{e(summary)}</p>'
        f'<table class="attendance"><tr><th>参加機関</th><th>出欠</th></tr>{"".join(rows)}</table>'
    )


def _item(item: PackItem) -> str:
    head = f"<h3>議題{item.position}　{e(kind_label(item.kind))}</h3>"
    if item.hidden_reason is not None:
        hidden = f"この議題の詳細は表示できません（{e(item.hidden_reason)}）。"
        return f'<div class="item">{head}<p class="hidden">{hidden}</p></div>'
    rows = [("ケースID", str(item.case_id)), ("報告機関", agency_name(item.presenting_agency_id))]
    rows += profile_rows(item.profile)
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    if item.decision is None:
        table += f"<tr><th>決定</th><td>{multiline('未決定（次回以降に継続）')}</td></tr>"
    else:
        table += decision_rows(item.decision)
    return f'<div class="item">{head}<table>{table}</table></div>'
