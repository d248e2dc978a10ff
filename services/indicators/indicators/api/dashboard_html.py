"""The dashboard page and its sign-in page, rendered as HTML strings (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from indicators.api.charts import _fmt, column_chart, hbar_chart, progress_bars
from indicators.api.operations_html import operations_section
from indicators.api.pages import logout_form, page
from indicators.domain.figures import Figures
from indicators.domain.report import IndicatorRow
from indicators.domain.sheets import (
    agency_headers,
    agency_name,
    agency_rows,
    program_sheet,
)
from indicators.usecases.reading import YearReport
from kasane.fiscal_year import wareki_label, western_label


def _agency_name(agency_id: str) -> str:
    return agency_name(agency_id)


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _fmt(value)
    return escape(str(value))


def _grid(section_id: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table id="{section_id}-table"><tr>{head}</tr>{body}</table>'


def _programs_section(figures: Figures) -> str:
    """地域づくり: each program's activity (its total, then per 講座・施設)."""
    sheet = program_sheet(figures)
    return (
        f'<section id="programs"><h2>{escape(sheet.title)}</h2>'
        + _grid("programs", sheet.headers, sheet.rows)
        + f'<p class="note">{escape(sheet.note)}</p></section>'
    )


def _agency_monthly_section(figures: Figures, agency_id: str) -> str:
    rows = agency_rows(figures, agency_id)
    return (
        f'<section id="agency-monthly" data-agency="{escape(agency_id)}">'
        f"<h2>{escape(agency_name(agency_id))} 月別の件数</h2>"
        + _grid("agency-monthly", agency_headers(figures.fiscal_year)[1:], [r[1:] for r in rows])
        + '<p class="note">新規相談受付：ケースの当機関での初回の相談。つなぎ：依頼した月・'
        "依頼を受けた月。</p></section>"
    )


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
        "（目標−基準値）。各数値の根拠イベントは API の trace で確認できます。</p>"
        + _definitions(report.rows)
        + "</section>"
    )


def _definitions(rows: Sequence[IndicatorRow]) -> str:
    """What each actual counts (the indicator's definition), under the table."""
    items = "".join(
        f'<dt>{escape(r.name_ja)}</dt><dd data-definition="{escape(r.id)}">'
        f"{escape(r.source_ja)}</dd>"
        for r in rows
    )
    return f'<h3>実績値の定義</h3><dl id="definitions" class="note">{items}</dl>'


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
        + logout_form(csrf_token)
        + "</nav>"
    )
    body = (
        "<header><h1>重層的支援体制整備事業 目標・評価指標 ダッシュボード</h1>"
        f'<div id="fiscal-year">{wareki_label(fy)}（{western_label(fy)}）'
        f"　集計基準日 {report.as_of.isoformat()}</div></header><main>{nav}"
        + _progress_section(report)
        + _trend_section(report)
        + _agency_section(report.figures)
        + _programs_section(report.figures)
        + operations_section(report.figures)
        + "</main>"
    )
    return page(f"目標・評価指標 {wareki_label(fy)}", body)


def agency_page(report: YearReport, agency_id: str, years: Sequence[int], csrf_token: str) -> str:
    """The managers' view: a 委託先's manager sees only their own agency's monthly figures."""
    fy = report.fiscal_year
    options = "".join(
        f'<option value="{y}"{" selected" if y == fy else ""}>{wareki_label(y)}（{y}）</option>'
        for y in years
    )
    nav = (
        '<nav><form method="get" action="/dashboard"><label>年度 <select name="fiscal_year">'
        f'{options}</select></label> <button type="submit">表示</button></form>'
        + logout_form(csrf_token)
        + "</nav>"
    )
    body = (
        f"<header><h1>{escape(agency_name(agency_id))} 月次の件数</h1>"
        f'<div id="fiscal-year">{wareki_label(fy)}（{western_label(fy)}）'
        f"　集計基準日 {report.as_of.isoformat()}</div></header><main>{nav}"
        + _agency_monthly_section(report.figures, agency_id)
        + "</main>"
    )
    return page(f"{agency_name(agency_id)} {wareki_label(fy)}", body)
