"""`kasane reference import | status | export` on files: CSV encodings, xlsx, the version
directory (immutable versions, manifest, atomic ``current``) and what kasane.reference reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from kasane.reference import (
    REFERENCE_DIR_ENV,
    SCHOOL_DISTRICTS_FILE_ENV,
    ReferenceVersionError,
    centre_for_area,
    clear_caches,
    get_agency,
    get_school_district,
    preload_reference,
    reference_version,
)
from kasane.reference._resources import read_packaged_json, sha256_hex
from kasane.reference.importing import export_tables
from kasane.reference.versions import packaged_snapshot
from kasane_dev.cli import main as cli
from kasane_dev.cli.reference import (
    EXPORT_NAMES,
    ReferenceCommandError,
    encode_csv,
    import_files,
    read_tables,
    status,
)

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "docs" / "reference-samples"
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)

AGENCIES = "機関ID,名称,連絡先\r\nhoukatsu-01,東部地域包括支援センター,0942-00-0001\r\n"


@pytest.fixture(autouse=True)
def _fresh_reference(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(REFERENCE_DIR_ENV, raising=False)
    monkeypatch.delenv(SCHOOL_DISTRICTS_FILE_ENV, raising=False)
    clear_caches()
    yield
    monkeypatch.delenv(REFERENCE_DIR_ENV, raising=False)
    clear_caches()


def _districts_csv(rename: dict[str, str], drop: str = "") -> str:
    rows = [r for r in export_tables(packaged_snapshot())["districts"] if r[0] != drop]
    return "\r\n".join(",".join([r[0], rename.get(r[0], r[1]), *r[2:]]) for r in rows) + "\r\n"


def _import(directory: Path, *paths: Path, dry_run: bool = False) -> tuple[str | None, list[str]]:
    lines: list[str] = []
    version = import_files(directory, list(paths), dry_run=dry_run, report=lines.append, now=NOW)
    return version, lines


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp932", b"")],
    ids=["utf-8", "utf-8-bom", "shift_jis"],
)
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_shift_jis(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    path = tmp_path / "agencies.csv"
    path.write_bytes(prefix + AGENCIES.encode(encoding))
    tables, sources = read_tables([path])
    assert [list(tables[0].header), [list(r) for r in tables[0].rows]] == [
        ["機関ID", "名称", "連絡先"],
        [["houkatsu-01", "東部地域包括支援センター", "0942-00-0001"]],
    ]
    assert sources[0].name == "agencies.csv"
    assert sources[0].sha256 == sha256_hex(path.read_bytes())


def test_a_csv_in_neither_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\x82\xa0\xff\xfe\x81")  # valid in neither UTF-8 nor cp932
    with pytest.raises(ReferenceCommandError, match=r"broken\.csv: 文字コードを判別できません"):
        read_tables([path])


def test_other_formats_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "agencies.xls"
    path.write_bytes(b"old excel")
    with pytest.raises(ReferenceCommandError, match=r"agencies.xls: 対応していない形式"):
        read_tables([path])


def _workbook(path: Path) -> None:
    """One workbook, three sheets as an office keeps them; codes typed as numbers."""
    snapshot = packaged_snapshot()
    book = Workbook()
    sheets = export_tables(snapshot)
    first = book.active
    assert first is not None
    first.title = "機関"
    for row in sheets["agencies"]:
        first.append(row)
    first["B2"] = "東部地域包括支援センター"  # houkatsu-01
    districts = book.create_sheet("校区")
    for index, row in enumerate(sheets["districts"]):
        # Excel keeps "01" typed as a number as 1: the import reads it back as "01".
        districts.append(row if index == 0 else [int(row[0]), row[1], int(row[2]), row[3]])
    districts["B4"] = "みどり校区"  # code 03
    centres = book.create_sheet("担当圏域")
    for row in sheets["centre_areas"]:
        centres.append(row)
    book.create_sheet("メモ")  # an empty sheet is skipped
    book.save(path)


def test_xlsx_with_a_sheet_per_table_imports(tmp_path: Path) -> None:
    path = tmp_path / "reference.xlsx"
    _workbook(path)
    version, lines = _import(tmp_path / "ref", path)
    assert version == "v0001"
    assert lines[1:3] == [
        "  機関 houkatsu-01: 名称「地域包括支援センター（第1）」→「東部地域包括支援センター」",
        "  校区 03: 名称「校区03」→「みどり校区」",
    ]


def test_xlsx_errors_name_the_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "機関"
    sheet.append(["機関ID", "名称"])
    sheet.append(["houkatsu-99", "X"])
    path = tmp_path / "city.xlsx"
    book.save(path)
    with pytest.raises(ReferenceCommandError) as caught:
        _import(tmp_path / "ref", path)
    assert "city.xlsx[機関] 2行目 「機関ID」列: 未登録の機関ID「houkatsu-99」" in str(caught.value)


def test_import_writes_an_immutable_version_with_manifest_and_current(tmp_path: Path) -> None:
    directory = tmp_path / "ref"
    agencies = tmp_path / "agencies.csv"
    agencies.write_bytes(AGENCIES.encode("cp932"))
    version, lines = _import(directory, agencies)
    assert version == "v0001"
    assert lines[-1].endswith("各サービスを再起動してください")
    assert (directory / "current").read_text(encoding="utf-8").strip() == "v0001"
    manifest = json.loads((directory / "v0001" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == "v0001"
    assert manifest["previous"] == "packaged"
    assert manifest["imported_at"] == NOW.isoformat()
    assert manifest["sources"] == [
        {"name": "agencies.csv", "sha256": sha256_hex(agencies.read_bytes())}
    ]
    assert set(manifest["files"]) == {
        "agencies.json",
        "school_districts.json",
        "centre_areas.json",
        "partners.json",
    }
    for name, digest in manifest["files"].items():
        path = directory / "v0001" / name
        assert sha256_hex(path.read_bytes()) == digest
        assert path.stat().st_mode & 0o222 == 0  # read-only: a version is never rewritten
    # Nothing half-written is left behind.
    assert sorted(p.name for p in directory.iterdir()) == ["current", "v0001"]

    districts = tmp_path / "districts.csv"
    districts.write_text(_districts_csv({"03": "みどり校区"}), encoding="utf-8-sig")
    version, lines = _import(directory, districts)
    assert version == "v0002"
    assert lines[0] == "現行版: v0001"
    assert lines[1] == "  校区 03: 名称「校区03」→「みどり校区」"
    assert (directory / "current").read_text(encoding="utf-8").strip() == "v0002"
    second = json.loads((directory / "v0002" / "agencies.json").read_text(encoding="utf-8"))
    assert second["agencies"][0]["name_ja"] == "東部地域包括支援センター"  # carried forward
    first = json.loads((directory / "v0001" / "school_districts.json").read_text("utf-8"))
    assert first["school_districts"][2]["name_ja"] == "校区03"  # v0001 unchanged


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "ref"
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    version, lines = _import(directory, agencies, dry_run=True)
    assert version is None
    assert lines == [
        "現行版: packaged",
        "  機関 houkatsu-01: 名称「地域包括支援センター（第1）」→「東部地域包括支援センター」",
        "  機関 houkatsu-01: 連絡先「」→「0942-00-0001」",
        "--dry-run: 書き込んでいません",
    ]
    assert not directory.exists()


def test_an_import_without_changes_writes_no_version(tmp_path: Path) -> None:
    agencies = tmp_path / "agencies.csv"
    agencies.write_text("機関ID,名称\nkodomo,こども子育てサポートセンター\n", encoding="utf-8")
    version, lines = _import(tmp_path / "ref", agencies)
    assert version is None
    assert lines[-1] == "変更がないため新しい版は作りません"


def test_a_refused_import_exits_1_names_file_row_column_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    directory = tmp_path / "ref"
    good = tmp_path / "agencies.csv"
    good.write_text(AGENCIES, encoding="utf-8")
    assert cli.main(["reference", "import", "--dir", str(directory), str(good)]) == 0
    before = sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))
    bad = tmp_path / "districts.csv"
    bad.write_text(_districts_csv({}, drop="05"), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["reference", "import", "--dir", str(directory), str(good), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kasane reference: 取り込めません（1件、何も書き込んでいません）")
    assert "districts.csv — 「校区コード」列: 現行の校区コード 05（校区05）がありません" in err
    assert sorted(str(p.relative_to(directory)) for p in directory.rglob("*")) == before
    assert (directory / "current").read_text(encoding="utf-8").strip() == "v0001"


def test_status_prints_the_version_and_the_difference_from_packaged(tmp_path: Path) -> None:
    directory = tmp_path / "ref"
    lines: list[str] = []
    status(directory, lines.append)
    assert lines[-1] == "現行版: packaged（同梱の既定値。取り込みはまだありません）"
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    _import(directory, agencies)
    lines.clear()
    status(directory, lines.append)
    assert lines[1] == f"現行版: v0001（取り込み {NOW.isoformat()}、元ファイル: agencies.csv）"
    assert lines[2:] == [
        "同梱の既定値との差分:",
        "  機関 houkatsu-01: 名称「地域包括支援センター（第1）」→「東部地域包括支援センター」",
        "  機関 houkatsu-01: 連絡先「」→「0942-00-0001」",
    ]


def test_services_read_the_current_version_from_the_reference_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "ref"
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    districts = tmp_path / "districts.csv"
    districts.write_text(_districts_csv({"03": "みどり校区"}), encoding="utf-8")
    _import(directory, agencies, districts)

    monkeypatch.setenv(REFERENCE_DIR_ENV, str(directory))
    clear_caches()
    assert preload_reference() == "v0001"
    assert reference_version() == "v0001"
    assert get_agency("houkatsu-01").name_ja == "東部地域包括支援センター"
    assert get_agency("houkatsu-01").contact == "0942-00-0001"
    assert get_school_district("03").name_ja == "みどり校区"
    assert centre_for_area("disability", "05") == "kikan-02"
    # Files a version does not hold are served from the package.
    assert read_packaged_json("issue_codes.json")["issue_codes"]


def test_an_empty_or_unset_reference_dir_means_packaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REFERENCE_DIR_ENV, str(tmp_path / "nothing-imported-yet"))
    clear_caches()
    assert reference_version() == "packaged"
    assert get_agency("houkatsu-01").name_ja == "地域包括支援センター（第1）"


def test_a_version_changed_after_import_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "ref"
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    _import(directory, agencies)
    path = directory / "v0001" / "agencies.json"
    path.chmod(0o644)
    path.write_text(path.read_text("utf-8").replace("東部", "西部"), encoding="utf-8")
    monkeypatch.setenv(REFERENCE_DIR_ENV, str(directory))
    clear_caches()
    with pytest.raises(ReferenceVersionError, match="取り込み後に内容が変更されています"):
        preload_reference()


def test_a_pointer_to_a_missing_version_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "current").write_text("v0007\n", encoding="utf-8")
    monkeypatch.setenv(REFERENCE_DIR_ENV, str(tmp_path))
    clear_caches()
    with pytest.raises(ReferenceVersionError, match="v0007"):
        reference_version()


def test_the_school_districts_file_still_wins_and_shows_in_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = read_packaged_json("school_districts.json")
    table["school_districts"][0]["name_ja"] = "旧方式の校区"
    override = tmp_path / "districts.json"
    override.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(SCHOOL_DISTRICTS_FILE_ENV, str(override))
    clear_caches()
    assert get_school_district("01").name_ja == "旧方式の校区"
    assert reference_version() == f"packaged+{SCHOOL_DISTRICTS_FILE_ENV}"
    # The import checks codes against what the services carry: the override's 校区.
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    version, _ = _import(tmp_path / "ref", agencies)
    written = json.loads((tmp_path / "ref" / "v0001" / "school_districts.json").read_text("utf-8"))
    assert version == "v0001"
    assert written["school_districts"][0]["name_ja"] == "旧方式の校区"


def test_the_shipped_samples_are_the_packaged_data(tmp_path: Path) -> None:
    """docs/reference-samples/ is `kasane reference export` of the packaged data."""
    for kind, rows in export_tables(packaged_snapshot()).items():
        assert (SAMPLES / EXPORT_NAMES[kind]).read_bytes() == encode_csv(rows), kind
    # …and importing them changes nothing.
    version, lines = _import(tmp_path / "ref", *sorted(SAMPLES.glob("*.csv")))
    assert version is None
    assert lines[1] == "  変更はありません"


def test_export_writes_the_current_version_for_the_city_to_edit(tmp_path: Path) -> None:
    directory = tmp_path / "ref"
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    _import(directory, agencies)
    assert cli.main(["reference", "export", "--dir", str(directory), str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "agencies.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM as UTF-8
    assert "houkatsu-01,東部地域包括支援センター,0942-00-0001," in text.decode("utf-8-sig")


def test_a_malformed_manifest_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "v0001").mkdir()
    (tmp_path / "v0001" / "manifest.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "current").write_text("v0001\n", encoding="utf-8")
    monkeypatch.setenv(REFERENCE_DIR_ENV, str(tmp_path))
    clear_caches()
    with pytest.raises(ReferenceVersionError, match="版の記録が不正です"):
        reference_version()
    lines: list[str] = []
    with pytest.raises(ReferenceCommandError, match="版の記録が不正です"):
        status(tmp_path, lines.append)
