"""Pure rules of the city's reports: 新規相談受付, 和暦 months, the sheets, the managers' view."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import get_args
from uuid import uuid4

import pytest

from indicators.api.exports import SheetId
from indicators.domain.agency_view import check_agency_reader, may_use_agency_view
from indicators.domain.facts import Consultation, Fact
from indicators.domain.figures import compute
from indicators.domain.figures.intake import new_consultations
from indicators.domain.sheets import (
    agency_name,
    agency_rows,
    city_sheets,
    program_sheet,
    wareki_month,
)
from kasane.auth import Principal
from kasane.errors import Forbidden, NotFound
from kasane.reference.partners import get_partner


def received(agency: str, day: str, case: object = None) -> Consultation:
    return Consultation(
        event_id=uuid4(),
        agency_id=agency,
        received_at=datetime.fromisoformat(day).replace(tzinfo=UTC),
        is_complex=False,
        between_systems=False,
        issue_codes=("poverty",),
        channel="phone",
        case_id=case,  # type: ignore[arg-type]
    )


def test_a_cases_first_consultation_at_an_agency_is_new_there() -> None:
    referred, known = uuid4(), uuid4()
    at_houkatsu = received("houkatsu-01", "2025-05-01", referred)
    first = received("jiritsu", "2025-05-10", referred)  # referred in, taken up: new
    again = received("jiritsu", "2025-06-01", referred)  # continuing
    old = received("jiritsu", "2025-07-01", known)  # seen in an earlier year
    caseless = received("jiritsu", "2025-08-01")
    new = new_consultations(
        [again, old, first, at_houkatsu, caseless], earlier={("jiritsu", known)}
    )
    assert new == [at_houkatsu, first, caseless]


def test_months_are_headed_in_wareki() -> None:
    assert wareki_month("2025-04") == "令和7年4月"
    assert wareki_month("2026-03") == "令和8年3月"
    assert wareki_month("2019-04") == "平成31年4月"
    assert wareki_month("2019-05") == "令和元年5月"


def test_program_activity_keeps_the_latest_correction_per_report() -> None:
    report = "r1"
    facts = [
        Fact(
            event_id=uuid4(),
            event_type="community.ProgramActivityReported",
            occurred_at=datetime(2025, 7, day, tzinfo=UTC),
            on_date=date(2025, 6, 1),
            subject_id=report,
            program="activity_support_center",
            kind="type_3",
            code="2025-06",
            amount=people,
            second_amount=5,
        )
        for day, people in ((2, 55), (1, 60))  # the correction arrives first
    ]
    figures = compute(2025, [], facts, as_of=date(2026, 3, 31), today=date(2026, 5, 1))
    assert figures.value("community.program_participants", "activity_support_center") == 55
    assert figures.value("community.program_sessions", "activity_support_center") == 5
    assert figures.value("community.program_participants", "watch_network") == 0
    rows = {
        r[3]: r[4:] for r in program_sheet(figures).rows if r[0] == "地域活動支援センター運営事業"
    }
    assert rows["（事業計）"] == [5, 55]


def test_the_csv_sheet_ids_are_the_workbooks_sheets() -> None:
    figures = compute(2025, [], [], as_of=date(2026, 3, 31), today=date(2026, 5, 1))
    sheets = city_sheets(figures)
    assert [s.id for s in sheets] == list(get_args(SheetId))
    assert all(s.title.startswith("令和7年度") and len(s.name) <= 31 for s in sheets)
    assert all(len(row) == len(s.headers) for s in sheets for row in s.rows)


def staff(agency: str, role: str) -> Principal:
    return Principal("s", agency, frozenset({role}))


def test_a_managers_view_is_their_own_agency_only() -> None:
    check_agency_reader(staff("houkatsu-01", "manager"), "houkatsu-01")
    check_agency_reader(staff("shakyo", "manager"), "shakyo")
    check_agency_reader(staff("city-chiiki-fukushi", "city_official"), "jiritsu")
    for principal, agency in (
        (staff("houkatsu-01", "manager"), "jiritsu"),
        (staff("houkatsu-01", "counselor"), "houkatsu-01"),
        (staff("city-choju", "manager"), "city-choju"),  # a city section is not a 委託先
    ):
        with pytest.raises(Forbidden):
            check_agency_reader(principal, agency)
    with pytest.raises(NotFound):
        check_agency_reader(staff("city-chiiki-fukushi", "city_official"), "nope")
    assert may_use_agency_view(staff("houkatsu-01", "manager"))
    assert not may_use_agency_view(staff("houkatsu-01", "coordinator"))
    assert not may_use_agency_view(staff("city-choju", "manager"))


def test_sheets_print_a_partner_organisation_by_its_name() -> None:
    # A referral's receiver may be a 連携機関: its rows print its name, never its id.
    figures = compute(2025, [], [], as_of=date(2026, 3, 31), today=date(2026, 5, 1))
    rows = agency_rows(figures, "hellowork-kurume")
    assert {row[0] for row in rows} == {get_partner("hellowork-kurume").name_ja}
    assert agency_name("shakyo") == "社会福祉法人久留米市社会福祉協議会"
    assert agency_name("no-longer-listed") == "no-longer-listed"  # old records
