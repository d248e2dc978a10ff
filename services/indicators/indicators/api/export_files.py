"""The progress report as CSV (UTF-8 with BOM, for Excel) and .xlsx, laid out like a
municipal 進捗状況 table: a title row, a subtitle row, a header row, one row per indicator."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from indicators.domain.report import IndicatorRow
from kasane.fiscal_year import wareki_label, western_label

HEADERS: tuple[str, ...] = (
    "指標ID",
    "指標名",
    "単位",
    "基準値",
    "基準年度",
    "目標値",
    "目標の設定",
    "実績値",
    "進捗率（%）",
    "95%信頼区間 下限",
    "95%信頼区間 上限",
    "標本数",
    "備考",
)
HEADER_ROW = 3  # 1-based: title, subtitle, header
_SOURCES = {"fiscal_year": "年度別", "every_year": "毎年度", None: "未設定"}
_WIDTHS = (26, 54, 6, 12, 14, 12, 10, 12, 12, 14, 14, 10, 60)

Cell = str | int | float | None


def title(fiscal_year: int) -> str:
    return f"重層的支援体制整備事業 目標・評価指標 進捗状況（{wareki_label(fiscal_year)}）"


def subtitle(fiscal_year: int, as_of: date) -> str:
    return (
        f"{wareki_label(fiscal_year)}（{western_label(fiscal_year)}）"
        f" 集計基準日 {as_of.isoformat()}"
        "　進捗率：件数は実績÷目標、割合は（実績−基準値）÷（目標−基準値）"
    )


def cells(row: IndicatorRow) -> list[Cell]:
    return [
        row.id,
        row.name_ja,
        row.unit,
        row.baseline,
        row.baseline_fiscal_year_label,
        row.target,
        _SOURCES[row.target_source],
        row.actual,
        row.progress,
        row.interval_lower,
        row.interval_upper,
        row.sample_size,
        row.note,
    ]


def csv_bytes(fiscal_year: int, as_of: date, rows: Sequence[IndicatorRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title(fiscal_year)])
    writer.writerow([subtitle(fiscal_year, as_of)])
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if c is None else c for c in cells(row)])
    # The BOM makes Excel read the file as UTF-8 instead of Shift_JIS.
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(fiscal_year: int, as_of: date, rows: Sequence[IndicatorRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{wareki_label(fiscal_year)}進捗"
    last = get_column_letter(len(HEADERS))
    sheet["A1"] = title(fiscal_year)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = subtitle(fiscal_year, as_of)
    sheet.merge_cells(f"A2:{last}2")
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, name in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        sheet.column_dimensions[get_column_letter(col)].width = _WIDTHS[col - 1]
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        count = row.kind == "count"
        for col, value in enumerate(cells(row), start=1):
            cell = sheet.cell(row=r, column=col, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=col in (2, 13))
            if col in (4, 6, 8) and value is not None:
                cell.number_format = "#,##0" if count else "0.0"
            elif col in (9, 10, 11) and value is not None:
                cell.number_format = "0.0"
            elif col == 12 and value is not None:
                cell.number_format = "#,##0"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
