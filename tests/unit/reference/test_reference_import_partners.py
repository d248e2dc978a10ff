"""連携機関 in `kasane reference import`: the city adds a partner without a release.

The rules (kasane.reference.importing) on tables, then the command on CSV and xlsx files and
what kasane.reference.partners serves from the version written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from kasane.reference import REFERENCE_DIR_ENV, SCHOOL_DISTRICTS_FILE_ENV, clear_caches
from kasane.reference.importing import (
    PARTNERS_FILE,
    ImportResult,
    Snapshot,
    Table,
    apply_tables,
    diff,
    export_tables,
)
from kasane.reference.partners import (
    get_partner,
    is_known_party,
    new_work_refusal,
    party_kind,
)
from kasane.reference.versions import packaged_snapshot
from kasane_dev.cli import main as cli
from kasane_dev.cli.reference import import_files, status

SOURCE = "連携機関.csv"
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
NEW_ROW = [
    "kurume-kodomo-shokudo",
    "くるめ子ども食堂ネット（架空）",
    "NPO・中間支援組織",
    "NPO法人",
    "0942-00-0007",
    "久留米市（架空）食堂町7-7",
    "いいえ",
    "はい",
    "",
]


@pytest.fixture(autouse=True)
def _fresh_reference(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(REFERENCE_DIR_ENV, raising=False)
    monkeypatch.delenv(SCHOOL_DISTRICTS_FILE_ENV, raising=False)
    clear_caches()
    yield
    monkeypatch.delenv(REFERENCE_DIR_ENV, raising=False)
    clear_caches()


@pytest.fixture
def packaged() -> Snapshot:
    return packaged_snapshot()


def _sheet(packaged: Snapshot) -> list[list[str]]:
    """The packaged 連携機関 as the import reads them (header first)."""
    return [list(r) for r in export_tables(packaged)["partners"]]


def _apply(packaged: Snapshot, rows: list[list[str]]) -> ImportResult:
    return apply_tables(packaged, [Table(SOURCE, rows[0], rows[1:])])


def _partner(result: ImportResult, partner_id: str) -> dict[str, object]:
    found: dict[str, object] = next(
        p for p in result.snapshot[PARTNERS_FILE]["partners"] if p["id"] == partner_id
    )
    return found


def test_the_exported_partner_table_imports_without_change(packaged: Snapshot) -> None:
    result = _apply(packaged, _sheet(packaged))
    assert result.problems == []
    assert result.kinds == {"partners": SOURCE}
    assert diff(packaged, result.snapshot) == []
    # The packaged remark of each partner stays with it (備考 is never read).
    assert result.snapshot[PARTNERS_FILE]["partners"] == packaged[PARTNERS_FILE]["partners"]


def test_a_new_partner_is_added_with_labels_or_codes_and_yes_no(packaged: Snapshot) -> None:
    rows = _sheet(packaged)
    rows.append(NEW_ROW)
    # Codes are accepted as well as labels; a phone typed in 全角 is read as 半角.
    rows.append(
        [
            "kurume-gakko-renraku",
            "久留米市立学校連絡会（架空）",
            "school",
            "municipal",
            "０９４２－００－０００８",
            "久留米市（架空）学校町8-8",
            "はい",
            "いいえ",
            "教育委員会経由",
        ]
    )
    result = _apply(packaged, rows)
    assert result.problems == []
    assert _partner(result, "kurume-kodomo-shokudo") == {
        "id": "kurume-kodomo-shokudo",
        "name_ja": "くるめ子ども食堂ネット（架空）",
        "kind": "npo_intermediary",
        "operation": "npo_corporation",
        "contact": {"phone": "0942-00-0007", "address": "久留米市（架空）食堂町7-7"},
        "may_hold_case_access": False,
        "active": True,
    }
    school = _partner(result, "kurume-gakko-renraku")
    assert (school["kind"], school["operation"]) == ("school", "municipal")
    assert school["contact"] == {"phone": "0942-00-0008", "address": "久留米市（架空）学校町8-8"}
    assert (school["may_hold_case_access"], school["active"]) == (True, False)
    assert diff(packaged, result.snapshot) == [
        "連携機関 kurume-kodomo-shokudo: 追加「くるめ子ども食堂ネット（架空）」（種別: "
        "NPO・中間支援組織、運営形態: NPO法人、電話番号: 0942-00-0007、所在地: "
        "久留米市（架空）食堂町7-7、ケース情報の保持: いいえ、活動中: はい）",
        "連携機関 kurume-gakko-renraku: 追加「久留米市立学校連絡会（架空）」（種別: 学校、"
        "運営形態: 市、電話番号: 0942-00-0008、所在地: 久留米市（架空）学校町8-8、"
        "ケース情報の保持: はい、活動中: いいえ）",
    ]


def test_a_partner_that_stops_is_deactivated_and_its_changes_show(packaged: Snapshot) -> None:
    rows = _sheet(packaged)
    minsei = next(r for r in rows if r[0] == "minsei-kyogikai")
    minsei[7] = "いいえ"
    minsei[4] = "0942-00-0099"
    result = _apply(packaged, rows)
    assert result.problems == []
    assert _partner(result, "minsei-kyogikai")["active"] is False
    assert diff(packaged, result.snapshot) == [
        "連携機関 minsei-kyogikai: 電話番号「0942-00-0004」→「0942-00-0099」",
        "連携機関 minsei-kyogikai: 活動中「はい」→「いいえ」",
    ]


def test_removing_a_partner_in_force_is_refused(packaged: Snapshot) -> None:
    rows = [r for r in _sheet(packaged) if r[0] != "kyu-shuro-juku"]
    result = _apply(packaged, rows)
    assert [str(p) for p in result.problems] == [
        f"{SOURCE} — 「連携機関ID」列: 現行の連携機関ID kyu-shuro-juku"
        "（旧しゅうろう塾（架空・活動終了））がありません。活動を終えた連携機関は削除せず"
        "「活動中」を「いいえ」にしてください"
    ]


def _replace(rows: list[list[str]], index: int, value: str) -> list[list[str]]:
    changed = list(NEW_ROW)
    changed[index] = value
    return [*rows, changed]


@pytest.mark.parametrize(
    ("index", "value", "column", "reason"),
    [
        (0, "Kurume_Shokudo", "連携機関ID", "「Kurume_Shokudo」は連携機関IDの形ではありません"),
        (0, "", "連携機関ID", "空欄です"),
        (0, "houkatsu-01", "連携機関ID", "「houkatsu-01」は機関のIDです"),
        (0, "hellowork-kurume", "連携機関ID", "2行目と重複しています"),
        (1, "ハローワーク久留米", "名称", "名称「ハローワーク久留米」が2行目と重複しています"),
        (1, "社会福祉法人久留米市社会福祉協議会", "名称", "は機関 shakyo の名称です"),
        (1, "", "名称", "空欄です"),
        (2, "フードバンク", "種別", "「フードバンク」は選べません（就労支援機関 / "),
        (3, "財団法人", "運営形態", "「財団法人」は選べません"),
        (4, "090-1234", "電話番号", "「090-1234」は電話番号の形ではありません"),
        (5, "", "所在地", "空欄です"),
        (6, "〇", "ケース情報の保持", "「はい」か「いいえ」で入力してください（「〇」）"),
        (7, "true", "活動中", "「はい」か「いいえ」で入力してください（「true」）"),
    ],
)
def test_partner_rows_are_refused_with_file_row_column_and_reason(
    packaged: Snapshot, index: int, value: str, column: str, reason: str
) -> None:
    rows = _replace(_sheet(packaged), index, value)
    line = len(rows)  # the new row is the last one; header = row 1
    result = _apply(packaged, rows)
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    problem = result.problems[0]
    assert (problem.source, problem.row, problem.column) == (SOURCE, line, column)
    assert reason in problem.reason
    assert str(problem).startswith(f"{SOURCE} {line}行目 「{column}」列: ")


def test_a_missing_partner_column_is_refused(packaged: Snapshot) -> None:
    rows = [r[:6] + r[7:] for r in _sheet(packaged)]  # no ケース情報の保持
    result = _apply(packaged, rows)
    assert [str(p) for p in result.problems] == [
        f"{SOURCE} 1行目 「ケース情報の保持」列: 必須の列がありません"
    ]


def _import(directory: Path, *paths: Path) -> str | None:
    return import_files(directory, list(paths), dry_run=False, report=lambda _: None, now=NOW)


def test_an_imported_partner_is_served_from_the_version(
    tmp_path: Path, packaged: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CSV in Shift_JIS as an office saves it; the version holds partners.json."""
    rows = _sheet(packaged)
    rows.append(NEW_ROW)
    next(r for r in rows if r[0] == "hellowork-kurume")[7] = "いいえ"
    path = tmp_path / "partners.csv"
    path.write_bytes("".join(",".join(r) + "\r\n" for r in rows).encode("cp932"))
    directory = tmp_path / "ref"
    assert _import(directory, path) == "v0001"
    assert (directory / "v0001" / "partners.json").is_file()

    monkeypatch.setenv(REFERENCE_DIR_ENV, str(directory))
    clear_caches()
    assert get_partner("kurume-kodomo-shokudo").name_ja == "くるめ子ども食堂ネット（架空）"
    assert is_known_party("kurume-kodomo-shokudo")
    assert party_kind("kurume-kodomo-shokudo") == "partner_organisation"
    assert new_work_refusal("kurume-kodomo-shokudo") is None
    refusal = new_work_refusal("hellowork-kurume")
    assert refusal is not None and "活動を終えた連携機関です" in refusal


def test_a_partner_sheet_in_a_workbook_imports(tmp_path: Path, packaged: Snapshot) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "連携機関"
    for row in [*_sheet(packaged), NEW_ROW]:
        sheet.append(row)
    path = tmp_path / "city.xlsx"
    book.save(path)
    lines: list[str] = []
    version = import_files(tmp_path / "ref", [path], dry_run=True, report=lines.append, now=NOW)
    assert version is None
    assert lines[1].startswith("  連携機関 kurume-kodomo-shokudo: 追加「くるめ子ども食堂ネット")


def test_status_and_export_cover_the_imported_partners(tmp_path: Path, packaged: Snapshot) -> None:
    rows = [*_sheet(packaged), NEW_ROW]
    path = tmp_path / "partners.csv"
    path.write_text("".join(",".join(r) + "\r\n" for r in rows), encoding="utf-8")
    directory = tmp_path / "ref"
    assert _import(directory, path) == "v0001"
    manifest = (directory / "v0001" / "manifest.json").read_text(encoding="utf-8")
    assert '"partners.json"' in manifest

    lines: list[str] = []
    status(directory, lines.append)
    assert lines[-1].startswith("  連携機関 kurume-kodomo-shokudo: 追加「くるめ子ども食堂ネット")

    out = tmp_path / "out"
    assert cli.main(["reference", "export", "--dir", str(directory), str(out)]) == 0
    exported = (out / "partners.csv").read_bytes().decode("utf-8-sig")
    assert ",".join(NEW_ROW) in exported
    # …and the export imports again without change.
    assert _import(directory, out / "partners.csv") is None
