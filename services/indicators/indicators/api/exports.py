"""CSV and Excel downloads of the progress report (header or dashboard cookie)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from indicators.api.deps import CitySessionReader, FiscalYear, Now, Pool
from indicators.api.export_files import csv_bytes, sheet_csv_bytes, xlsx_bytes
from indicators.domain.sheets import city_sheets
from indicators.usecases.reading import year_report
from kasane.fiscal_year import wareki_label

router = APIRouter(tags=["指標 indicators"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


SheetId = Literal[
    "domain", "area", "route", "age", "complex", "agency_month", "programs", "operations"
]


def _disposition(
    fiscal_year: int,
    extension: str,
    name_ja: str = "目標・評価指標",
    ascii_stem: str = "indicators",
) -> str:
    name = f"{name_ja}_{wareki_label(fiscal_year)}.{extension}"
    ascii_name = f"{ascii_stem}_FY{fiscal_year}.{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _file(media_type: str, schema: dict[str, str]) -> dict[int | str, dict[str, Any]]:
    # The OpenAPI document names the real media type (not FastAPI's default JSON).
    return {
        200: {"description": "ダウンロード / download", "content": {media_type: {"schema": schema}}}
    }


@router.get(
    "/indicators.csv",
    summary="進捗状況（CSV, UTF-8 BOM付き）",
    response_class=Response,
    responses=_file("text/csv", {"type": "string"}),
)
async def indicators_csv(
    principal: CitySessionReader, pool: Pool, clock: Now, fiscal_year: FiscalYear
) -> Response:
    report = await year_report(pool, fiscal_year, clock.today())
    return Response(
        csv_bytes(fiscal_year, report.as_of, report.rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": _disposition(fiscal_year, "csv"),
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/reports.csv",
    summary="市の報告用の内訳表（CSV, UTF-8 BOM付き, 1表ずつ）",
    response_class=Response,
    responses=_file("text/csv", {"type": "string"}),
)
async def report_csv(
    principal: CitySessionReader,
    pool: Pool,
    clock: Now,
    fiscal_year: FiscalYear,
    sheet: Annotated[SheetId, Query(description="内訳表: the .xlsx sheet to download")],
) -> Response:
    """One breakdown table of the .xlsx (分野・圏域・経路・年代・複合/狭間・機関別月別・
    地域づくり・運用指標) as CSV."""
    report = await year_report(pool, fiscal_year, clock.today())
    found = next(s for s in city_sheets(report.figures) if s.id == sheet)
    return Response(
        sheet_csv_bytes(found, report.as_of),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": _disposition(fiscal_year, "csv", found.name, sheet),
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/indicators.xlsx",
    summary="進捗状況と内訳表（Excel）",
    response_class=Response,
    responses=_file(XLSX, {"type": "string", "format": "binary"}),
)
async def indicators_xlsx(
    principal: CitySessionReader, pool: Pool, clock: Now, fiscal_year: FiscalYear
) -> Response:
    report = await year_report(pool, fiscal_year, clock.today())
    return Response(
        xlsx_bytes(fiscal_year, report.as_of, report.rows, city_sheets(report.figures)),
        media_type=XLSX,
        headers={
            "Content-Disposition": _disposition(fiscal_year, "xlsx"),
            "Cache-Control": "no-store",
        },
    )
