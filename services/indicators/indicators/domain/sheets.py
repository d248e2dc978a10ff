"""The tables the city files, built from a year's figures (pure): 分野, 日常生活圏域・校区,
相談経路, 年代, 複合・狭間 by month, agencies by month, 地域づくり per program, and every
operational figure. The .xlsx writes one sheet per table, the CSV one table at a time, and
the managers' view is the agency table for one agency. Headings are in 和暦.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indicators.domain.figures import Figures
from indicators.domain.figures.community import REPORTING_PROGRAMS, WHOLE_PROGRAM
from indicators.domain.fiscal_years import fiscal_months
from indicators.domain.stats import percent
from kasane.fiscal_year import wareki_label
from kasane.reference import consultation_agencies, labels
from kasane.reference.partners import party_name
from kasane.reference.programs import OPERATION_LABELS, get_program
from kasane.reference.school_districts import active_school_districts
from kasane.wareki import format_month

Cell = str | int | float | None

UNRECORDED = "未記録"  # rows written before a breakdown column existed (a rebuild fills them)


def wareki_month(month: str) -> str:
    """``2026-01`` → 令和8年1月; ``2019-04`` → 平成31年4月 (令和 began on 1 May 2019)."""
    year, mon = (int(p) for p in month.split("-"))
    return format_month(year, mon)


@dataclass(frozen=True)
class Sheet:
    id: str  # CSV ?sheet=, stable
    name: str  # the workbook tab (≤ 31 characters)
    title: str  # 和暦 heading, e.g. 令和7年度 分野別 相談受付件数
    headers: tuple[str, ...]
    rows: list[list[Cell]]
    note: str = ""


def agency_name(agency_id: str) -> str:
    """The name to print for an agency or a 連携機関 (a referral's receiver may be either);
    an unknown id prints as itself (old records)."""
    return party_name(agency_id)


def _label(table: dict[str, str], code: str) -> str:
    return UNRECORDED if code == "" else table.get(code, code)


def _share_rows(figures: Figures, figure: str, names: dict[str, str]) -> list[list[Cell]]:
    total = int(figures.value("consultations.total") or 0)
    return [
        [_label(names, f.key), f.value, percent(int(f.value or 0), total)]
        for f in figures.series(figure)
        if f.key != "" or f.value
    ]


def domain_sheet(figures: Figures) -> Sheet:
    fy = figures.fiscal_year
    return Sheet(
        "domain",
        "分野別",
        f"{wareki_label(fy)} 分野別 相談受付件数",
        ("分野", "件数", "相談受付件数に対する割合（%）"),
        _share_rows(figures, "consultations.by_domain", labels("domains")),
        "複合的な課題の相談は、かかわる分野それぞれに数えます（合計は相談受付件数を超えます）。",
    )


def area_sheet(figures: Figures) -> Sheet:
    fy = figures.fiscal_year
    table = active_school_districts()
    by_district = {f.key: f.value for f in figures.series("consultations.by_district")}
    rows: list[list[Cell]] = []
    for area in table.daily_life_areas:
        rows.append([area.name_ja, "（圏域計）", figures.value("consultations.by_area", area.code)])
        for district in table.districts_in_area(area.code):
            rows.append([area.name_ja, district.name_ja, by_district.get(district.code, 0)])
    unknown = sum(int(v or 0) for k, v in by_district.items() if not table.is_valid(k))
    if unknown:
        rows.append([UNRECORDED, UNRECORDED, unknown])
    note = "校区・圏域は見本データです。" if table.sample else ""
    return Sheet(
        "area",
        "圏域・校区別",
        f"{wareki_label(fy)} 日常生活圏域・校区別 相談受付件数",
        ("日常生活圏域", "校区", "件数"),
        rows,
        note,
    )


def route_sheet(figures: Figures) -> Sheet:
    fy = figures.fiscal_year
    total = int(figures.value("consultations.total") or 0)
    rows: list[list[Cell]] = []
    for group, figure, names in (
        ("受付方法", "consultations.by_channel", labels("channels")),
        ("相談者", "consultations.by_consulted_by", labels("consulted_by")),
    ):
        for f in figures.series(figure):
            if f.key == "" and not f.value:
                continue
            rows.append([group, _label(names, f.key), f.value, percent(int(f.value or 0), total)])
    return Sheet(
        "route",
        "相談経路別",
        f"{wareki_label(fy)} 相談経路別 相談受付件数",
        ("区分", "経路", "件数", "割合（%）"),
        rows,
    )


def age_sheet(figures: Figures) -> Sheet:
    fy = figures.fiscal_year
    return Sheet(
        "age",
        "年代別",
        f"{wareki_label(fy)} 年代別 相談受付件数",
        ("年代", "件数", "割合（%）"),
        _share_rows(figures, "consultations.by_age_band", labels("age_bands")),
    )


def complex_sheet(figures: Figures) -> Sheet:
    fy = figures.fiscal_year
    v = figures.value
    rows: list[list[Cell]] = [
        [
            wareki_month(m),
            v("consultations.by_month", m),
            v("consultations.complex_by_month", m),
            v("consultations.between_systems_by_month", m),
        ]
        for m in fiscal_months(fy)
    ]
    rows.append(
        [
            "年度計",
            v("consultations.total"),
            v("consultations.complex"),
            v("consultations.between_systems"),
        ]
    )
    return Sheet(
        "complex",
        "複合・狭間",
        f"{wareki_label(fy)} 複合的な課題・制度の狭間（月別）",
        ("月", "相談受付", "複合的な課題", "制度の狭間"),
        rows,
    )


# What the agency table counts per agency and month: (label, figure keyed agency|YYYY-MM).
AGENCY_MONTHLY: tuple[tuple[str, str], ...] = (
    ("相談受付", "consultations.by_agency_month"),
    ("新規相談受付", "consultations.new_by_agency_month"),
    ("ケース開始（主担当）", "cases.opened_by_agency_month"),
    ("つなぎ 依頼", "referrals.requested_by_agency_month"),
    ("つなぎ 受付", "referrals.received_by_agency_month"),
)


def agency_measures(agency_id: str) -> list[tuple[str, str, str]]:
    """What an agency's monthly table counts: (label, figure, key prefix). Every agency has
    the consultation and referral rows; a program's operator also has its programs'
    地域づくり activity (実施回数・参加者数, per program|month)."""
    measures = [(label, figure, agency_id) for label, figure in AGENCY_MONTHLY]
    for code in REPORTING_PROGRAMS:
        program = get_program(code)
        if program is not None and program.operator_agency_id == agency_id:
            measures.append(
                (f"{program.name_ja} 実施回数", "community.program_sessions_by_month", code)
            )
            measures.append(
                (f"{program.name_ja} 参加者数", "community.program_participants_by_month", code)
            )
    return measures


def agency_table(figures: Figures, agency_id: str) -> list[tuple[str, str, list[int]]]:
    """One agency's monthly figures: (label, figure, a value per month of the year)."""
    months = fiscal_months(figures.fiscal_year)
    return [
        (label, figure, [int(figures.value(figure, f"{prefix}|{m}") or 0) for m in months])
        for label, figure, prefix in agency_measures(agency_id)
    ]


def agency_rows(figures: Figures, agency_id: str) -> list[list[Cell]]:
    """The table as sheet rows: agency, measure, the months, the year's total."""
    return [
        [agency_name(agency_id), label, *values, sum(values)]
        for label, _, values in agency_table(figures, agency_id)
    ]


def agency_headers(fiscal_year: int) -> tuple[str, ...]:
    return ("機関", "区分", *(wareki_month(m) for m in fiscal_months(fiscal_year)), "年度計")


def agencies_in(figures: Figures) -> list[str]:
    """Every consultation agency (directory order), then any other agency the figures name."""
    known = [a.id for a in consultation_agencies()]
    named = {f.key.split("|")[0] for _, figure in AGENCY_MONTHLY for f in figures.series(figure)}
    return known + sorted(named - set(known) - {""})


def agency_sheet(figures: Figures, agency_ids: Sequence[str] | None = None) -> Sheet:
    fy = figures.fiscal_year
    ids = agencies_in(figures) if agency_ids is None else list(agency_ids)
    return Sheet(
        "agency_month",
        "機関別・月別",
        f"{wareki_label(fy)} 機関別・月別の件数",
        agency_headers(fy),
        [row for agency in ids for row in agency_rows(figures, agency)],
        "新規相談受付：ケースのその機関での初回の相談。つなぎ：依頼した月・依頼を受けた月。",
    )


def program_sheet(figures: Figures) -> Sheet:
    """地域づくり: each reporting program (its total), then each of its units."""
    fy = figures.fiscal_year
    participants = {
        f.key: f.value for f in figures.series("community.program_participants_by_unit")
    }
    sessions = {f.key: f.value for f in figures.series("community.program_sessions_by_unit")}
    rows: list[list[Cell]] = []
    for code in REPORTING_PROGRAMS:
        program = get_program(code)
        assert program is not None  # REPORTING_PROGRAMS comes from the catalog
        operation = OPERATION_LABELS.get(program.operation or "", "")
        operator = agency_name(program.operator_agency_id or "")
        rows.append(
            [
                program.name_ja,
                operation,
                operator,
                "（事業計）",
                figures.value("community.program_sessions", code),
                figures.value("community.program_participants", code),
            ]
        )
        units = [*program.units, WHOLE_PROGRAM]
        for unit in units:
            key = f"{code}:{unit}"
            if unit == WHOLE_PROGRAM and key not in participants:
                continue  # no whole-program report
            rows.append(
                [
                    program.name_ja,
                    operation,
                    operator,
                    program.unit_name(unit) if unit else "事業全体の報告",
                    sessions.get(key, 0),
                    participants.get(key, 0),
                ]
            )
    return Sheet(
        "programs",
        "地域づくり",
        f"{wareki_label(fy)} 地域づくりに向けた支援事業 活動実績（事業別）",
        ("事業", "運営形態", "報告機関", "構成（講座・施設）", "実施回数", "参加者数（延べ）"),
        rows,
        "各報告は最新の訂正版を数えます。",
    )


def operations_sheet(figures: Figures) -> Sheet:
    fy = figures.fiscal_year
    return Sheet(
        "operations",
        "運用指標",
        f"{wareki_label(fy)} 運用指標（すべての数値）",
        ("数値ID", "区分", "値", "根拠イベント数"),
        [[f.figure, f.key, f.value, len(f.event_ids)] for f in figures.all],
        "各数値の根拠イベントは GET /operations/trace で確認できます。",
    )


def city_sheets(figures: Figures) -> list[Sheet]:
    """Every breakdown sheet of the city's report, in workbook order."""
    return [
        domain_sheet(figures),
        area_sheet(figures),
        route_sheet(figures),
        age_sheet(figures),
        complex_sheet(figures),
        agency_sheet(figures),
        program_sheet(figures),
        operations_sheet(figures),
    ]
