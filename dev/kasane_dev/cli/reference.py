"""`kasane reference import | status`: the city's own reference data.

See docs/architecture/reference-data.md.

This module reads files (CSV: UTF-8 with or without BOM, or Shift_JIS/cp932 as Japanese
offices export it; xlsx: every non-empty sheet) into tables; the rules are in
``kasane.reference.importing`` and the version directory in ``kasane.reference.versions``.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kasane.reference._resources import (
    PACKAGED_VERSION,
    REFERENCE_DIR_ENV,
    SCHOOL_DISTRICTS_FILE_ENV,
    ReferenceVersionError,
    school_districts_file,
    sha256_hex,
)
from kasane.reference.importing import Table, apply_tables, diff, export_tables
from kasane.reference.versions import (
    SourceFile,
    current_snapshot,
    manifest_of,
    packaged_snapshot,
    write_version,
)
from kasane.settings import Settings
from kasane_dev.local import stack


class ReferenceCommandError(Exception):
    """Reported like the CLI's other expected failures (on stderr, exit 1); nothing written."""


Report = Callable[[str], None]


def _print(line: str) -> None:
    print(line, flush=True)


def decode_csv(source: str, data: bytes) -> str:
    """UTF-8 (a BOM is dropped) or, failing that, Shift_JIS as Windows writes it (cp932)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise ReferenceCommandError(
            f"{source}: 文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）"
        ) from None


def _csv_table(source: str, data: bytes) -> Table:
    text = decode_csv(source, data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ReferenceCommandError(f"{source}: 空のファイルです")
    return Table(source, rows[0], rows[1:])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as a number: 1.0 → "1" (then "01")
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _xlsx_tables(source: str, data: bytes) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file it cannot read
        raise ReferenceCommandError(f"{source}: xlsx として読めません（{exc}）") from exc
    tables: list[Table] = []
    try:
        for sheet in workbook.worksheets:
            rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if not any(any(c.strip() for c in row) for row in rows):
                continue  # an empty sheet is not a table
            tables.append(Table(f"{source}[{sheet.title}]", rows[0], rows[1:]))
    finally:
        workbook.close()
    if not tables:
        raise ReferenceCommandError(f"{source}: 表のあるシートがありません")
    return tables


def read_tables(paths: Sequence[Path]) -> tuple[list[Table], list[SourceFile]]:
    tables: list[Table] = []
    sources: list[SourceFile] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReferenceCommandError(f"{path.name}: 読めません（{exc.strerror}）") from exc
        suffix = path.suffix.lower()
        if suffix == ".csv":
            tables.append(_csv_table(path.name, data))
        elif suffix == ".xlsx":
            tables.extend(_xlsx_tables(path.name, data))
        else:
            raise ReferenceCommandError(f"{path.name}: 対応していない形式です（.csv または .xlsx）")
        sources.append(SourceFile(path.name, sha256_hex(data)))
    return tables, sources


def reference_dir(settings: Settings, given: str | None) -> Path:
    """--dir, else what `kasane up` passes to the services (stack.reference_dir)."""
    return Path(given) if given else stack.reference_dir(settings)


def import_files(
    directory: Path,
    paths: Sequence[Path],
    *,
    dry_run: bool,
    report: Report,
    now: datetime | None = None,
) -> str | None:
    """Check the files and write the next version (None on --dry-run); raise on any problem."""
    tables, sources = read_tables(paths)
    try:
        previous, current = current_snapshot(directory)
    except ReferenceVersionError as exc:
        raise ReferenceCommandError(str(exc)) from exc
    result = apply_tables(current, tables)
    if result.problems:
        lines = [str(p) for p in result.problems]
        raise ReferenceCommandError(
            f"取り込めません（{len(lines)}件、何も書き込んでいません）:\n  " + "\n  ".join(lines)
        )
    changes = diff(current, result.snapshot)
    report(f"現行版: {previous}")
    for line in changes or ["変更はありません"]:
        report(f"  {line}")
    if dry_run:
        report("--dry-run: 書き込んでいません")
        return None
    if not changes:
        report("変更がないため新しい版は作りません")
        return None
    version = write_version(directory, result.snapshot, sources, now or datetime.now(UTC), previous)
    report(f"{directory / version} を書き込み、現行版にしました。各サービスを再起動してください")
    return version


def status(directory: Path, report: Report) -> None:
    try:
        version, snapshot = current_snapshot(directory)
    except ReferenceVersionError as exc:
        raise ReferenceCommandError(str(exc)) from exc
    report(f"参照データの場所: {directory}")
    override = school_districts_file()
    if override is not None:
        report(f"校区は {SCHOOL_DISTRICTS_FILE_ENV}={override} を使用中（取り込んだ版より優先）")
    if version == PACKAGED_VERSION:
        report("現行版: packaged（同梱の既定値。取り込みはまだありません）")
        return
    manifest = manifest_of(directory, version)
    sources = manifest.get("sources")
    names = (
        ", ".join(str(s.get("name")) for s in sources if isinstance(s, dict))
        if isinstance(sources, list)
        else ""
    )
    report(f"現行版: {version}（取り込み {manifest.get('imported_at')}、元ファイル: {names}）")
    report("同梱の既定値との差分:")
    for line in diff(packaged_snapshot(), snapshot) or ["なし"]:
        report(f"  {line}")


EXPORT_NAMES: dict[str, str] = {
    "agencies": "agencies.csv",
    "districts": "school_districts.csv",
    "centre_areas": "centre_areas.csv",
    "partners": "partners.csv",
}


def encode_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 with a BOM: Excel then opens the Japanese text correctly (without it, as cp932)."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def export(directory: Path, target: Path, report: Report) -> list[Path]:
    """Write the version in force as the CSV files the import reads (one per kind)."""
    try:
        version, snapshot = current_snapshot(directory)
    except ReferenceVersionError as exc:
        raise ReferenceCommandError(str(exc)) from exc
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind, rows in export_tables(snapshot).items():
        path = target / EXPORT_NAMES[kind]
        path.write_bytes(encode_csv(rows))
        written.append(path)
    report(f"{version} を {', '.join(str(p) for p in written)} に書き出しました")
    return written


def _cmd_export(settings: Settings, args: argparse.Namespace) -> None:
    export(reference_dir(settings, args.dir), Path(args.target), _print)


def _cmd_import(settings: Settings, args: argparse.Namespace) -> None:
    import_files(
        reference_dir(settings, args.dir),
        [Path(p) for p in args.files],
        dry_run=args.dry_run,
        report=_print,
    )


def _cmd_status(settings: Settings, args: argparse.Namespace) -> None:
    status(reference_dir(settings, args.dir), _print)


def add_parser(commands: Any) -> None:
    reference = commands.add_parser(
        "reference", help="the city's reference data: import (CSV/xlsx) and status"
    )
    sub = reference.add_subparsers(dest="reference_command", required=True)
    dir_help = f"reference directory (default: ${REFERENCE_DIR_ENV}, else .kasane/reference)"
    run = sub.add_parser("import", help="check the city's files and write them as the next version")
    run.add_argument("files", nargs="+", help="CSV or xlsx files (機関, 校区, 担当圏域, 連携機関)")
    run.add_argument("--dir", help=dir_help)
    run.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    run.set_defaults(handler=_cmd_import)
    show = sub.add_parser("status", help="the version in force and how it differs from packaged")
    show.add_argument("--dir", help=dir_help)
    show.set_defaults(handler=_cmd_status)
    out = sub.add_parser(
        "export", help="write the version in force as CSV files to edit and import again"
    )
    out.add_argument("target", help="directory to write agencies.csv, school_districts.csv, …")
    out.add_argument("--dir", help=dir_help)
    out.set_defaults(handler=_cmd_export)
