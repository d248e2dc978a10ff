"""Forms print the names of the version in force, never codes: after an import, the intake
sheet (相談受付・申込票), meeting packs and minutes, indicators' sheets and the portal's labels
show the city's names."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from indicators.domain.sheets import agency_name as indicators_agency_name
from intake.domain.sheet import render_sheet
from kasane.reference import REFERENCE_DIR_ENV, SCHOOL_DISTRICTS_FILE_ENV, clear_caches
from kasane.reference.importing import export_tables
from kasane.reference.versions import packaged_snapshot
from kasane_dev.cli.reference import import_files
from meetings.domain.minutes import agency_name as minutes_agency_name
from meetings.domain.profile import school_district_name
from portal.domain.labels import district_name
from portal.domain.navigation import agency_name as portal_agency_name
from tests.unit.intake.domain.test_intake_domain_sheet import CASE, CONSULTATION, ME

NEW_AGENCY = "久留米市生活自立支援センター（仮称）"
NEW_DISTRICT = "さくら校区"


@pytest.fixture(autouse=True)
def _imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(f"機関ID,名称\njiritsu,{NEW_AGENCY}\n", encoding="utf-8")
    rows = [
        [r[0], NEW_DISTRICT if r[0] == "05" else r[1], *r[2:]]
        for r in export_tables(packaged_snapshot())["districts"]
    ]
    districts = tmp_path / "districts.csv"
    districts.write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    directory = tmp_path / "reference"
    import_files(
        directory,
        [agencies, districts],
        dry_run=False,
        report=lambda _: None,
        now=datetime(2026, 4, 1, tzinfo=UTC),
    )
    monkeypatch.delenv(SCHOOL_DISTRICTS_FILE_ENV, raising=False)
    monkeypatch.setenv(REFERENCE_DIR_ENV, str(directory))
    clear_caches()
    yield
    monkeypatch.delenv(REFERENCE_DIR_ENV)
    clear_caches()


def test_the_intake_sheet_prints_the_imported_names() -> None:
    html = render_sheet(CASE, [ME], [CONSULTATION], [], [], date(2025, 7, 1))
    assert NEW_AGENCY in html
    assert f"<td>{NEW_DISTRICT}</td>" in html
    assert "<td>校区05</td>" not in html and "<td>05</td>" not in html


def test_meeting_packs_indicators_and_portal_print_the_imported_names() -> None:
    assert school_district_name("05") == NEW_DISTRICT
    assert minutes_agency_name("jiritsu") == NEW_AGENCY
    assert indicators_agency_name("jiritsu") == NEW_AGENCY
    assert district_name("05") == NEW_DISTRICT
    assert portal_agency_name("jiritsu") == NEW_AGENCY
