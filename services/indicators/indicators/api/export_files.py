"""The progress report as CSV (UTF-8 with BOM, for Excel) and .xlsx, laid out like a
municipal 進捗状況 table: a title row, a subtitle row, a header row, one row per indicator.

The .xlsx also holds the breakdown sheets the city files (``indicators.domain.sheets``), each
laid out the same way (和暦 title, subtitle, header row) and set up for print: A4 landscape,
fit to one page wide, header rows repeated on every page."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from indicators.domain.report import IndicatorRow
from indicators.domain.sheets import Sheet
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


def sheet_csv_bytes(sheet: Sheet, as_of: date) -> bytes:
    """One breakdown table as CSV, in the same layout: title, subtitle, header, rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([sheet.title])
    writer.writerow([_sheet_subtitle(sheet, as_of)])
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow(["" if c is None else c for c in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _sheet_subtitle(sheet: Sheet, as_of: date) -> str:
    return f"集計基準日 {as_of.isoformat()}" + (f"　{sheet.note}" if sheet.note else "")


_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _heading(
    sheet: Worksheet, heading: str, sub: str, headers: Sequence[str], widths: Sequence[int]
) -> None:
    """Title, subtitle and the header row (bold, shaded, bordered), with column widths."""
    last = get_column_letter(len(headers))
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = sub
    sheet.merge_cells(f"A2:{last}2")
    for col, name in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(col)].width = widths[col - 1]


def _print_layout(sheet: Worksheet) -> None:
    """A4 landscape, one page wide (as many pages tall as needed), header rows on each page."""
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True


def _add_sheet(book: Workbook, data: Sheet, as_of: date) -> None:
    sheet = book.create_sheet(data.name)
    widths = [max(10, min(40, 2 * len(h) + 4)) for h in data.headers]
    widths[0] = max(widths[0], 24)
    _heading(sheet, data.title, _sheet_subtitle(data, as_of), data.headers, widths)
    for r, row in enumerate(data.rows, start=HEADER_ROW + 1):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=col, value=value)
            cell.border = _BORDER
            if isinstance(value, float):
                cell.number_format = "0.0"
            elif isinstance(value, int):
                cell.number_format = "#,##0"
    _print_layout(sheet)


def xlsx_bytes(
    fiscal_year: int,
    as_of: date,
    rows: Sequence[IndicatorRow],
    sheets: Sequence[Sheet] = (),
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{wareki_label(fiscal_year)}進捗"
    _heading(sheet, title(fiscal_year), subtitle(fiscal_year, as_of), HEADERS, _WIDTHS)
    border = _BORDER
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
    _print_layout(sheet)
    for data in sheets:
        _add_sheet(book, data, as_of)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
