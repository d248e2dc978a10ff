"""The dashboard page and its sign-in page, rendered as HTML strings (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from indicators.api.charts import _fmt, column_chart, hbar_chart, progress_bars
from indicators.domain.figures import LEGAL_BASES, MEETING_TYPES, PROGRAMS, STAGES, Figures
from indicators.domain.report import IndicatorRow
from indicators.usecases.reading import YearReport
from kasane.fiscal_year import wareki_label, western_label
from kasane.reference import get_agency, is_known_agency, labels

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

STYLE = """
body{font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;margin:0;color:#1f2328;
background:#f6f8fa}
header{background:#1f4e79;color:#fff;padding:14px 24px}
header h1{font-size:20px;margin:0 0 4px}
main{padding:16px 24px;max-width:1200px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;
margin-bottom:16px}
h2{font-size:17px;margin:4px 0 10px;border-left:5px solid #1f4e79;padding-left:8px}
h3{font-size:14px;margin:12px 0 6px}
table{border-collapse:collapse;font-size:13px;margin-bottom:8px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right;white-space:nowrap}
th{background:#ddebf7}
td.name,th.name{text-align:left;white-space:normal}
.grid{display:flex;flex-wrap:wrap;gap:16px}
.note{color:#666;font-size:12px}
nav form{display:inline}
nav a,nav button{margin-left:8px}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )


def login_page(login_url: str) -> str:
    return _page(
        "サインイン｜目標・評価指標",
        "<header><h1>重層的支援体制整備事業 目標・評価指標</h1>"
        "<div>市職員（city_official）のアカウントでサインインしてください</div></header>"
        "<main><section><h2>サインイン</h2>"
        f'<p><a id="sign-in" href="{escape(login_url)}">サインイン</a>'
        "（認証基盤 Keycloak の画面へ移動します）</p>"
        '<p class="note">開発環境のデモアカウント: city-official（パスワードは README）</p>'
        "</section></main>",
    )


def _logout_form(csrf_token: str) -> str:
    return (
        '<form method="post" action="/dashboard/logout">'
        f'<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">'
        '<button type="submit" id="sign-out">サインアウト</button></form>'
    )


def forbidden_page(csrf_token: str) -> str:
    return _page(
        "権限がありません",
        "<header><h1>権限がありません / forbidden</h1></header><main><section>"
        "<p>この画面は市職員（city_official）のみ閲覧できます。</p>"
        + _logout_form(csrf_token)
        + "</section></main>",
    )


def sign_in_error_page(message: str) -> str:
    return _page(
        "サインインできません",
        "<header><h1>サインインできません</h1></header><main><section>"
        f'<p role="alert">{escape(message)}</p>'
        '<p><a href="/dashboard">ダッシュボードへ戻る</a></p></section></main>',
    )


def _agency_name(agency_id: str) -> str:
    return get_agency(agency_id).name_ja if is_known_agency(agency_id) else agency_id


def _value(row: IndicatorRow, value: float | int | None) -> str:
    return _fmt(value, row.unit)


def _indicator_table(rows: Sequence[IndicatorRow]) -> str:
    head = (
        '<table id="indicators"><tr><th class="name">指標</th><th>基準値</th><th>基準年度</th>'
        "<th>目標値</th><th>実績値</th><th>進捗率</th><th>95%信頼区間</th><th>標本数</th>"
        '<th class="name">備考</th></tr>'
    )
    body = []
    for r in rows:
        interval = (
            f"{r.interval_lower:.1f}〜{r.interval_upper:.1f}%"
            if r.interval_lower is not None and r.interval_upper is not None
            else "—"
        )
        body.append(
            f'<tr data-indicator="{escape(r.id)}"><td class="name">{escape(r.name_ja)}</td>'
            f"<td>{_value(r, r.baseline)}</td><td>{escape(r.baseline_fiscal_year_label or '—')}"
            f'</td><td data-field="target">{_value(r, r.target)}</td>'
            f'<td data-field="actual">{_value(r, r.actual)}</td>'
            f'<td data-field="progress">{_fmt(r.progress, "%")}</td><td>{interval}</td>'
            f"<td>{_fmt(r.sample_size)}</td>"
            f'<td class="name note">{escape(r.note or "")}</td></tr>'
        )
    return head + "".join(body) + "</table>"


def _short(name: str) -> str:
    return name if len(name) <= 22 else name[:21] + "…"


def _progress_section(report: YearReport) -> str:
    items = [
        (
            _short(r.name_ja),
            r.progress,
            f"{_fmt(r.progress, '%')}"
            f"（実績 {_fmt(r.actual, r.unit)} / 目標 {_fmt(r.target, r.unit)}）"
            if r.target is not None
            else "目標未設定",
        )
        for r in report.rows
    ]
    year = wareki_label(report.fiscal_year)
    return (
        f'<section id="progress"><h2>目標の進捗（{year}）</h2>'
        + _indicator_table(report.rows)
        + progress_bars(items, f"{year} 目標に対する進捗率")
        + '<p class="note">進捗率：件数は実績÷目標（達成率）、割合は（実績−基準値）÷'
        "（目標−基準値）。各数値の根拠イベントは API の trace で確認できます。</p></section>"
    )


def _months(figures: Figures, figure: str) -> tuple[list[str], list[float | int]]:
    series = figures.series(figure)
    return [f"{int(f.key[5:])}月" for f in series], [f.value or 0 for f in series]


def _trend_section(report: YearReport) -> str:
    charts = []
    for figure, title in (
        ("consultations.by_month", "相談受付件数（月別）"),
        ("community.watch_visits_by_month", "見守り訪問活動件数（月別・最新の訂正版）"),
        ("plans.approved_by_month", "プラン作成件数（重層的支援会議での承認、月別）"),
    ):
        names, values = _months(report.figures, figure)
        charts.append(
            f'<div data-chart="{figure}"><h3>{title}</h3>'
            + column_chart(names, values, title, "件")
            + "</div>"
        )
    return (
        '<section id="trends"><h2>月別の推移</h2><div class="grid">'
        + "".join(charts)
        + ("</div></section>")
    )


def _agency_section(figures: Figures) -> str:
    def bars(figure: str) -> list[tuple[str, float | int]]:
        found = sorted(figures.series(figure), key=lambda f: (-(f.value or 0), f.key))
        return [(_agency_name(f.key), f.value or 0) for f in found]

    return (
        '<section id="agencies"><h2>機関別の内訳</h2><div class="grid">'
        '<div data-chart="consultations.by_agency"><h3>相談受付件数（機関別）</h3>'
        + hbar_chart(bars("consultations.by_agency"), "相談受付件数（機関別）", "件")
        + '</div><div data-chart="cases.opened_by_agency"><h3>新規ケース（主担当機関別）</h3>'
        + hbar_chart(bars("cases.opened_by_agency"), "新規ケース（主担当機関別）", "件")
        + "</div></div></section>"
    )


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


def _operations_section(figures: Figures) -> str:
    v = figures.value
    programs, meeting_types = labels("programs"), labels("meeting_types")
    bases = labels("legal_bases")
    consult = _table(
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
    referrals = _table(
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
    meeting_rows = "".join(
        f"<tr><td class='name'>{escape(meeting_types[m])}</td>"
        f"<td>{_fmt(v('meetings.held', m))}</td>"
        + "".join(
            f"<td>{_fmt(v('meetings.cases_discussed', f'{m}:{b}'))}</td>" for b in LEGAL_BASES
        )
        + "</tr>"
        for m in MEETING_TYPES
    )
    meetings = (
        "<h3>会議</h3><table><tr><th class='name'>会議</th><th>開催</th>"
        + "".join(f"<th>協議（{escape(bases[b])}）</th>" for b in LEGAL_BASES)
        + f"</tr>{meeting_rows}</table>"
    )
    plan_rows = "".join(
        f"<tr data-program='{p}'><td class='name'>{escape(programs[p])}</td>"
        f"<td>{_fmt(v('plans.approved', p))}</td><td>{_fmt(v('plans.active', p))}</td>"
        f"<td>{_fmt(v('plans.completed', p))}</td><td>{_fmt(v('plans.suspended', p))}</td></tr>"
        for p in PROGRAMS
    )
    plans = (
        "<h3>プラン</h3><table><tr><th class='name'>事業</th><th>作成（承認）</th>"
        f"<th>実施中</th><th>終結</th><th>中断</th></tr>{plan_rows}</table>"
    )
    funnel = [(STAGE_LABELS[s], v("outreach.funnel", s) or 0) for s in STAGES]
    placements = [
        (CATEGORY_LABELS.get(f.key, f.key), f.value or 0)
        for f in figures.series("participation.placements_started")
    ]
    return (
        '<section id="operations"><h2>運用指標</h2><div class="grid"><div>'
        + consult
        + referrals
        + "</div><div>"
        + meetings
        + plans
        + "</div></div>"
        '<div class="grid"><div data-chart="outreach.funnel"><h3>アウトリーチの関わりの段階'
        "（当該年度に把握した対象者）</h3>"
        + hbar_chart(funnel, "アウトリーチの段階", "人")
        + '</div><div data-chart="participation.placements_started"><h3>参加支援のマッチング'
        "（開始）</h3>"
        + hbar_chart(placements, "参加支援のマッチング", "件")
        + "</div></div></section>"
    )


def dashboard_page(report: YearReport, years: Sequence[int], csrf_token: str) -> str:
    fy = report.fiscal_year
    options = "".join(
        f'<option value="{y}"{" selected" if y == fy else ""}>{wareki_label(y)}（{y}）</option>'
        for y in years
    )
    nav = (
        '<nav><form method="get" action="/dashboard"><label>年度 <select name="fiscal_year">'
        f'{options}</select></label> <button type="submit">表示</button></form>'
        f'<a href="/indicators.csv?fiscal_year={fy}">CSV</a>'
        f'<a href="/indicators.xlsx?fiscal_year={fy}">Excel</a>'
        + _logout_form(csrf_token)
        + "</nav>"
    )
    body = (
        "<header><h1>重層的支援体制整備事業 目標・評価指標 ダッシュボード</h1>"
        f'<div id="fiscal-year">{wareki_label(fy)}（{western_label(fy)}）'
        f"　集計基準日 {report.as_of.isoformat()}</div></header><main>{nav}"
        + _progress_section(report)
        + _trend_section(report)
        + _agency_section(report.figures)
        + _operations_section(report.figures)
        + "</main>"
    )
    return _page(f"目標・評価指標 {wareki_label(fy)}", body)
