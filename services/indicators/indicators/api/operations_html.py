"""The dashboard's 運用指標 section: tables and charts of the operational figures (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from indicators.api.charts import _fmt, hbar_chart
from indicators.domain.figures import LEGAL_BASES, MEETING_TYPES, PROGRAMS, STAGES, Figures
from kasane.reference import labels

STAGE_LABELS = {
    "not_contacted": "把握（未接触）",
    "contacted": "接触できた",
    "relationship": "関係づくり",
    "support_started": "支援開始",
    "stable": "安定",
}
CATEGORY_LABELS = {
    "ibasho": "居場所",
    "work_trial": "就労体験",
    "employment": "就労支援",
    "housing": "住まい",
}


def _table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(
        f"<th class='name'>{escape(h)}</th>" if i == 0 else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='name'>{escape(c)}</td>" if i == 0 else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<h3>{escape(title)}</h3><table><tr>{head}</tr>{body}</table>"


def _consultations(figures: Figures) -> str:
    v = figures.value
    return _table(
        "相談の状況",
        ("項目", "件数", "割合"),
        [
            ("相談受付", _fmt(v("consultations.total")), ""),
            (
                "複合的な課題",
                _fmt(v("consultations.complex")),
                _fmt(v("consultations.complex_share"), "%"),
            ),
            (
                "制度の狭間",
                _fmt(v("consultations.between_systems")),
                _fmt(v("consultations.between_systems_share"), "%"),
            ),
        ],
    )


def _referrals(figures: Figures) -> str:
    v = figures.value
    return _table(
        "つなぎ（紹介）",
        ("項目", "値"),
        [
            ("依頼", _fmt(v("referrals.requested"), "件")),
            ("受理", _fmt(v("referrals.accepted"), "件")),
            ("受理までの日数（中央値）", _fmt(v("referrals.acceptance_days_median"), "日")),
            ("受理までの日数（90パーセンタイル）", _fmt(v("referrals.acceptance_days_p90"), "日")),
            ("期限超過（未応答）", _fmt(v("referrals.overdue_open"), "件")),
            ("期限後の応答", _fmt(v("referrals.answered_late"), "件")),
        ],
    )


def _meetings(figures: Figures) -> str:
    v = figures.value
    meeting_types, bases = labels("meeting_types"), labels("legal_bases")
    meeting_rows = "".join(
        f"<tr><td class='name'>{escape(meeting_types[m])}</td>"
        f"<td>{_fmt(v('meetings.held', m))}</td>"
        + "".join(
            f"<td>{_fmt(v('meetings.cases_discussed', f'{m}:{b}'))}</td>" for b in LEGAL_BASES
        )
        + "</tr>"
        for m in MEETING_TYPES
    )
    return (
        "<h3>会議</h3><table><tr><th class='name'>会議</th><th>開催</th>"
        + "".join(f"<th>協議（{escape(bases[b])}）</th>" for b in LEGAL_BASES)
        + f"</tr>{meeting_rows}</table>"
    )


def _plans(figures: Figures) -> str:
    v = figures.value
    programs = labels("programs")
    plan_rows = "".join(
        f"<tr data-program='{p}'><td class='name'>{escape(programs[p])}</td>"
        f"<td>{_fmt(v('plans.approved', p))}</td><td>{_fmt(v('plans.active', p))}</td>"
        f"<td>{_fmt(v('plans.completed', p))}</td><td>{_fmt(v('plans.suspended', p))}</td></tr>"
        for p in PROGRAMS
    )
    return (
        "<h3>プラン</h3><table><tr><th class='name'>事業</th><th>作成（承認）</th>"
        f"<th>実施中</th><th>終結</th><th>中断</th></tr>{plan_rows}</table>"
    )


def operations_section(figures: Figures) -> str:
    v = figures.value
    funnel = [(STAGE_LABELS[s], v("outreach.funnel", s) or 0) for s in STAGES]
    placements = [
        (CATEGORY_LABELS.get(f.key, f.key), f.value or 0)
        for f in figures.series("participation.placements_started")
    ]
    return (
        '<section id="operations"><h2>運用指標</h2><div class="grid"><div>'
        + _consultations(figures)
        + _referrals(figures)
        + "</div><div>"
        + _meetings(figures)
        + _plans(figures)
        + "</div></div>"
        '<div class="grid"><div data-chart="outreach.funnel"><h3>アウトリーチの関わりの段階'
        "（当該年度に把握した対象者）</h3>"
        + hbar_chart(funnel, "アウトリーチの段階", "人")
        + '</div><div data-chart="participation.placements_started"><h3>参加支援のマッチング'
        "（開始）</h3>"
        + hbar_chart(placements, "参加支援のマッチング", "件")
        + "</div></div></section>"
    )
