"""The reports the city files: the .xlsx holds the breakdown sheets (分野, 圏域・校区, 相談経路,
年代, 複合・狭間, 機関別・月別, 地域づくり, 運用指標) under 和暦 headings, set up for print; each
sheet is also a CSV; 地域づくり figures per program and component are on the dashboard; a
委託先's manager reads their own agency's monthly figures and no other agency's."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from indicators.api.export_files import HEADER_ROW
from kasane.events import community, intake, referral
from kasane.settings import Settings
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually
from tests.integration.indicators.indicators_events import Events, at, consultation, d

pytestmark = pytest.mark.integration

FY = 2000  # 平成12年度; no other test writes this year (community draws 2001–2018 at random)
SHEETS = (
    "分野別",
    "圏域・校区別",
    "相談経路別",
    "年代別",
    "複合・狭間",
    "機関別・月別",
    "地域づくり",
)


def _activity(ev: Events, program: str, unit: str | None, sessions: int, people: int) -> Any:
    report_id = uuid4()
    ev.add(
        community.ProgramActivityReported(
            report_id=report_id,
            program_code=program,
            component_code=unit,
            month=f"{FY}-06",
            sessions=sessions,
            participants=people,
        )
    )
    return report_id


@pytest.fixture(scope="module")
async def loaded(
    indicators: RunningService, settings: Settings, auth: Callable[..., dict[str, str]]
) -> dict[tuple[str, str], Any]:
    ev = Events()
    # 4 consultations: 2 at houkatsu-01 (one 複合 elderly+poverty, from family, 80s, 校区02),
    # 1 at jiritsu (狭間, 40s, 校区06), 1 at houkatsu-01 in May.
    consultation(
        ev,
        "houkatsu-01",
        at(f"{FY}-04-10"),
        issue_codes=["8050"],
        is_complex=True,
        channel="in_person",
        consulted_by="family",
        age_band="80-89",
        school_district_code="02",
    )
    consultation(
        ev,
        "houkatsu-01",
        at(f"{FY}-04-20"),
        issue_codes=["elderly_care"],
        channel="phone",
        consulted_by="self",
        age_band="80-89",
        school_district_code="01",
    )
    consultation(
        ev,
        "houkatsu-01",
        at(f"{FY}-05-02"),
        issue_codes=["elderly_care"],
        channel="phone",
        consulted_by="self",
        age_band="70-79",
        school_district_code="01",
    )
    consultation(
        ev,
        "jiritsu",
        at(f"{FY}-05-20"),
        issue_codes=["poverty"],
        between_systems=True,
        channel="from_agency",
        consulted_by="agency",
        age_band="40-49",
        school_district_code="06",
    )
    ev.add(
        intake.CaseOpened(
            case_id=uuid4(), lead_agency_id="houkatsu-01", opened_on=d(f"{FY}-04-10")
        ),
        "houkatsu-01",
    )
    ev.add(
        referral.ReferralRequested(
            referral_id=uuid4(),
            case_id=uuid4(),
            from_agency_id="houkatsu-01",
            to_agency_id="jiritsu",
            reason_codes=["poverty"],
            legal_basis="consent",
            consent_id=uuid4(),
            requested_at=at(f"{FY}-05-15"),
            requested_on=d(f"{FY}-05-15"),
            due_on=d(f"{FY}-05-25"),
        ),
        "houkatsu-01",
    )
    # 地域づくり: Ⅰ型 and Ⅲ型 told apart (Ⅲ型 corrected 60 → 55), and one 講座.
    _activity(ev, "activity_support_center", "type_1", 3, 30)
    type_3 = uuid4()
    for people in (60, 55):
        ev.add(
            community.ProgramActivityReported(
                report_id=type_3,
                program_code="activity_support_center",
                component_code="type_3",
                month=f"{FY}-06",
                sessions=5,
                participants=people,
            )
        )
    _activity(ev, "community_care_prevention", "doremi_course", 2, 20)
    await ev.send(settings)
    city = auth("city-chiiki-fukushi", "city_official")

    async def figures() -> dict[tuple[str, str], Any]:
        response = await indicators.client.get(
            "/operations", params={"fiscal_year": FY}, headers=city
        )
        assert response.status_code == 200, response.text
        return {(f["figure"], f["key"]): f["value"] for f in response.json()["figures"]}

    def complete(found: dict[tuple[str, str], Any]) -> bool:
        return (
            found.get(("consultations.total", "")) == 4
            and found.get(("referrals.requested", "")) == 1
            and found.get(("cases.opened_by_agency", "houkatsu-01")) == 1
            and found.get(("community.program_participants", "activity_support_center")) == 85
            and found.get(("community.program_participants", "community_care_prevention")) == 20
        )

    return await eventually(figures, complete, timeout_s=60)


def _rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


async def test_breakdown_figures_count_each_consultation(loaded: Any) -> None:
    f = loaded
    assert (
        f[("consultations.by_domain", "elderly")],
        f[("consultations.by_domain", "poverty")],
    ) == (
        3,
        2,
    )
    assert f[("consultations.by_area", "01")] == 3  # 校区01, 02 are in 圏域01
    assert f[("consultations.by_area", "02")] == 1
    assert f[("consultations.by_channel", "phone")] == 2
    assert f[("consultations.by_consulted_by", "family")] == 1
    assert f[("consultations.by_age_band", "80-89")] == 2
    assert f[("consultations.complex_by_month", f"{FY}-04")] == 1
    assert f[("consultations.between_systems_by_month", f"{FY}-05")] == 1
    assert f[("consultations.by_agency_month", f"houkatsu-01|{FY}-04")] == 2
    assert f[("referrals.received_by_agency_month", f"jiritsu|{FY}-05")] == 1
    assert f[("community.program_sessions", "activity_support_center")] == 8
    assert f[("community.program_participants_by_unit", "activity_support_center:type_3")] == 55


async def test_xlsx_holds_the_city_sheets_in_wareki_laid_out_for_print(
    loaded: Any, indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    city = auth("city-chiiki-fukushi", "city_official")
    got = await indicators.client.get("/indicators.xlsx", params={"fiscal_year": FY}, headers=city)
    assert got.status_code == 200
    book = load_workbook(io.BytesIO(got.content))
    assert book.sheetnames == ["平成12年度進捗", *SHEETS, "運用指標"]
    for sheet in book.worksheets:
        assert "平成12年度" in str(sheet["A1"].value)
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows in ("1:3", "$1:$3")

    domain = {r[0]: r[1:] for r in _rows(book["分野別"])}
    assert domain["高齢"] == [3, 75.0] and domain["生活困窮"] == [2, 50.0]
    assert domain["障害"] == [0, 0.0]
    area = _rows(book["圏域・校区別"])
    assert ["日常生活圏域01", "（圏域計）", 3] in area
    assert ["日常生活圏域01", "校区02", 1] in area
    assert ["日常生活圏域02", "校区06", 1] in area
    route = {(r[0], r[1]): r[2] for r in _rows(book["相談経路別"])}
    assert route[("受付方法", "電話")] == 2 and route[("受付方法", "関係機関から")] == 1
    assert route[("相談者", "家族")] == 1 and route[("相談者", "本人")] == 2
    age = {r[0]: r[1] for r in _rows(book["年代別"])}
    assert (age["80代"], age["70代"], age["40代"], age["10代"]) == (2, 1, 1, 0)
    complex_sheet = book["複合・狭間"]
    assert [c.value for c in complex_sheet[HEADER_ROW]] == [
        "月",
        "相談受付",
        "複合的な課題",
        "制度の狭間",
    ]
    by_month = {r[0]: r[1:] for r in _rows(complex_sheet)}
    assert by_month["平成12年4月"] == [2, 1, 0]
    assert by_month["平成12年5月"] == [2, 0, 1]
    assert by_month["平成13年3月"] == [0, 0, 0]
    assert by_month["年度計"] == [4, 1, 1]
    agencies = book["機関別・月別"]
    headers = [c.value for c in agencies[HEADER_ROW]]
    assert headers[2] == "平成12年4月" and headers[-1] == "年度計"
    rows = {(r[0], r[1]): r[2:] for r in _rows(agencies)}
    houkatsu = "地域包括支援センター（第1）"
    assert rows[(houkatsu, "相談受付")][:2] == [2, 1] and rows[(houkatsu, "相談受付")][-1] == 3
    assert rows[(houkatsu, "ケース開始（主担当）")][-1] == 1
    assert rows[(houkatsu, "つなぎ 依頼")][1] == 1
    programs = {(r[0], r[3]): r[4:] for r in _rows(book["地域づくり"])}
    centre = "地域活動支援センター運営事業"
    assert programs[(centre, "（事業計）")] == [8, 85]
    assert programs[
        (centre, "Ⅲ型（創作的活動・生産活動、生活指導、社会との交流促進の通所施設）")
    ] == [5, 55]
    assert programs[(centre, "Ⅰ型（創作的活動・生産活動、ボランティア育成、普及啓発）")] == [3, 30]
    assert programs[("地域介護予防活動支援事業", "ドレミ♪で介護予防!!出張講座")] == [2, 20]
    assert programs[("地域介護予防活動支援事業", "おたっしゃ出張講座")] == [0, 0]
    operations = {(r[0], r[1] or ""): r[2] for r in _rows(book["運用指標"])}
    assert {k: v for k, v in operations.items() if k in loaded} == loaded


async def test_each_sheet_downloads_as_csv(
    loaded: Any, indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    city = auth("city-chiiki-fukushi", "city_official")
    got = await indicators.client.get(
        "/reports.csv", params={"fiscal_year": FY, "sheet": "programs"}, headers=city
    )
    assert got.status_code == 200, got.text
    assert got.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert lines[0][0].startswith("平成12年度 地域づくり")
    assert [
        "地域活動支援センター運営事業",
        "団体補助",
        "久留米市 障害者福祉課",
        "（事業計）",
        "8",
        "85",
    ] in lines
    unknown = await indicators.client.get(
        "/reports.csv", params={"fiscal_year": FY, "sheet": "nope"}, headers=city
    )
    assert unknown.status_code == 422
    agency = await indicators.client.get(
        "/reports.csv",
        params={"fiscal_year": FY, "sheet": "programs"},
        headers=auth("houkatsu-01", "manager"),
    )
    assert agency.status_code == 403


async def test_dashboard_shows_each_programs_activity(
    loaded: Any, indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    page = await indicators.client.get(
        "/dashboard",
        params={"fiscal_year": FY},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert page.status_code == 200
    html = page.text
    section = html[html.index('<section id="programs">') :]
    section = section[: section.index("</section>")]
    assert "地域活動支援センター運営事業" in section and "ドレミ♪で介護予防!!出張講座" in section
    assert "<td>85</td>" in section and "<td>55</td>" in section
    assert 'data-definition="jiritsu_new_consultations"' in html


async def _denials(dsn: str) -> list[tuple[str, str, str]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT actor_agency, record_id, outcome FROM access_audit"
            " WHERE record_type = 'agency_figures' ORDER BY id"
        )
        return [(r["actor_agency"], r["record_id"], r["outcome"]) for r in rows]
    finally:
        await conn.close()


async def test_a_managers_view_shows_only_their_own_agency(
    loaded: Any, indicators: RunningService, auth: Callable[..., dict[str, str]]
) -> None:
    manager = auth("houkatsu-01", "manager")
    own = await indicators.client.get(
        "/agencies/houkatsu-01/monthly", params={"fiscal_year": FY}, headers=manager
    )
    assert own.status_code == 200, own.text
    body = own.json()
    assert body["agency_name_ja"] == "地域包括支援センター（第1）"
    assert body["month_labels"][0] == "平成12年4月"
    rows = {r["measure"]: r for r in body["rows"]}
    assert rows["相談受付"]["values"][:2] == [2, 1] and rows["相談受付"]["total"] == 3
    assert rows["つなぎ 依頼"]["total"] == 1

    before = await _denials(indicators.dsn)
    other = await indicators.client.get(
        "/agencies/jiritsu/monthly", params={"fiscal_year": FY}, headers=manager
    )
    assert other.status_code == 403
    assert other.json()["errors"][0]["field"] == "agency_id"
    assert (await _denials(indicators.dsn))[len(before) :] == [("houkatsu-01", "jiritsu", "denied")]
    counselor = await indicators.client.get(
        "/agencies/houkatsu-01/monthly",
        params={"fiscal_year": FY},
        headers=auth("houkatsu-01", "counselor"),
    )
    assert counselor.status_code == 403
    city = await indicators.client.get(
        "/agencies/jiritsu/monthly",
        params={"fiscal_year": FY},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    assert city.status_code == 200
    assert {r["measure"]: r["total"] for r in city.json()["rows"]}["つなぎ 受付"] == 1

    # A program's operator also sees its programs' activity per month.
    operator = await indicators.client.get(
        "/agencies/city-shogai/monthly",
        params={"fiscal_year": FY},
        headers=auth("city-chiiki-fukushi", "city_official"),
    )
    measures = {r["measure"]: r["values"] for r in operator.json()["rows"]}
    assert measures["地域活動支援センター運営事業 参加者数"][2] == 85  # June
    assert measures["地域活動支援センター運営事業 実施回数"][2] == 8
    shakyo = await indicators.client.get(
        "/agencies/shakyo/monthly", params={"fiscal_year": FY}, headers=auth("shakyo", "manager")
    )
    assert shakyo.status_code == 200
    assert {r["measure"]: r["total"] for r in shakyo.json()["rows"]}[
        "地域介護予防活動支援事業 参加者数"
    ] == 20

    # The dashboard shows a manager their agency's monthly table, nothing of the city's.
    page = await indicators.client.get("/dashboard", params={"fiscal_year": FY}, headers=manager)
    assert page.status_code == 200
    assert 'data-agency="houkatsu-01"' in page.text
    assert 'id="programs"' not in page.text and 'id="indicators"' not in page.text
    assert "生活自立支援センター" not in page.text
