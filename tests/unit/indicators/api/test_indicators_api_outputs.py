"""Outputs (pure): CSV with BOM, .xlsx layout, SVG charts, dashboard HTML."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from indicators.api.charts import column_chart, hbar_chart, progress_bars
from indicators.api.export_files import HEADER_ROW, HEADERS, csv_bytes, title, xlsx_bytes
from indicators.api.pages import forbidden_page, login_page
from indicators.domain.figures import Figures
from indicators.domain.report import Target, indicator_rows

ROWS = indicator_rows(Figures(2025, []), {"watch_visits": Target(296000, "fiscal_year")}, {})


def test_title_uses_the_wareki_year() -> None:
    assert title(2025) == "重層的支援体制整備事業 目標・評価指標 進捗状況（令和7年度）"


def test_csv_has_a_bom_a_title_a_header_and_one_row_per_indicator() -> None:
    data = csv_bytes(2025, date(2025, 11, 1), ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == [title(2025)]
    assert lines[HEADER_ROW - 1] == list(HEADERS)
    assert len(lines) == HEADER_ROW + len(ROWS)
    watch = next(line for line in lines if line[0] == "watch_visits")
    assert (watch[3], watch[5], watch[7], watch[8]) == ("226650", "296000", "0", "0.0")


def test_xlsx_is_laid_out_like_a_progress_report() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(2025, date(2025, 11, 1), ROWS))).active
    assert sheet is not None
    assert sheet["A1"].value == title(2025)
    assert "A1:M1" in [str(r) for r in sheet.merged_cells.ranges]
    assert [c.value for c in sheet[HEADER_ROW]] == list(HEADERS)
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    values = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert [v[0] for v in values] == [r.id for r in ROWS]


def test_charts_escape_labels_and_show_values() -> None:
    svg = hbar_chart([("<script>", 5)], "x")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "5" in svg
    months = column_chart(["4月", "5月"], [1, 3], "m")
    assert months.count("<rect") == 2 and ">3<" in months
    bars = progress_bars([("a", 50.0, "50.0%"), ("b", None, "目標未設定")], "p")
    assert "目標未設定" in bars and "目標 100%" in bars


def test_login_page_links_to_the_sign_in_flow_and_has_no_token_form() -> None:
    page = login_page('/dashboard/login?return_to=%2Fdashboard"<x>')
    assert 'href="/dashboard/login?return_to=%2Fdashboard&quot;&lt;x&gt;"' in page
    assert "<textarea" not in page and "token" not in page


def test_forbidden_and_dashboard_sign_out_forms_carry_the_csrf_token() -> None:
    page = forbidden_page('t"1')
    assert 'name="csrf_token" value="t&quot;1"' in page
    assert 'action="/dashboard/logout"' in page
