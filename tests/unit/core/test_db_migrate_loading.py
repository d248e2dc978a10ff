"""kasane.db.migrate without a database: loading, ordering, checksums, packaged sets."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kasane.db.migrate import Migration, MigrationError, load_migrations, migrations_for
from kasane.settings import SERVICES


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_migrations_load_in_number_order_not_file_order(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "m",
        {
            "0010_tenth.sql": "SELECT 10;",
            "0002_second.sql": "SELECT 2;",
            "0001_first.sql": "SELECT 1;",
            "0003_zzz_third.sql": "SELECT 3;",
        },
    )
    loaded = load_migrations(folder)
    assert [m.version for m in loaded] == [1, 2, 3, 10]
    assert [m.name for m in loaded] == [
        "0001_first.sql",
        "0002_second.sql",
        "0003_zzz_third.sql",
        "0010_tenth.sql",
    ]
    assert [m.sql for m in loaded] == ["SELECT 1;", "SELECT 2;", "SELECT 3;", "SELECT 10;"]


def test_files_not_named_like_migrations_are_ignored(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "m",
        {
            "0001_ok.sql": "SELECT 1;",
            "README": "notes",
            "0002_upper_Case.sql": "x",
            "2_short.sql": "x",
            "0003_no_extension": "x",
            "0004_ok.sql.bak": "x",
            "00005_five_digits.sql": "x",
        },
    )
    assert [m.name for m in load_migrations(folder)] == ["0001_ok.sql"]


def test_empty_folder_loads_nothing(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    assert load_migrations(tmp_path / "m") == []


def test_duplicate_numbers_are_rejected(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "m",
        {"0001_first.sql": "SELECT 1;", "0002_a.sql": "SELECT 2;", "0002_b.sql": "SELECT 3;"},
    )
    with pytest.raises(MigrationError, match="duplicate"):
        load_migrations(folder)


def test_sql_is_read_as_utf8(tmp_path: Path) -> None:
    folder = _write(tmp_path / "m", {"0001_comment.sql": "-- 相談受付\nSELECT 1;"})
    (migration,) = load_migrations(folder)
    assert migration.sql.startswith("-- 相談受付")


def test_checksum_is_stable_and_follows_the_sql(tmp_path: Path) -> None:
    sql = "CREATE TABLE t (id int);"
    first = Migration(1, "0001_t.sql", sql)
    assert first.checksum == Migration(1, "0001_t.sql", sql).checksum
    assert first.checksum == hashlib.sha256(sql.encode()).hexdigest()
    # The checksum covers the content; one changed byte changes it.
    assert first.checksum != Migration(1, "0001_t.sql", sql + " ").checksum
    # Loading the same file twice gives the same checksum.
    folder = _write(tmp_path / "m", {"0001_t.sql": sql})
    assert load_migrations(folder)[0].checksum == load_migrations(folder)[0].checksum
    assert load_migrations(folder)[0].checksum == first.checksum


def test_shared_component_has_outbox_inbox_audit_and_idempotency_keys() -> None:
    loaded = migrations_for("kasane")
    assert [m.version for m in loaded] == [1, 2, 3, 4, 5, 6]
    assert [m.name[:4] for m in loaded] == ["0001", "0002", "0003", "0004", "0005", "0006"]
    text = [m.sql.lower() for m in loaded]
    assert "create table outbox" in text[0]
    assert "create table inbox" in text[1]
    assert "create table access_audit" in text[2]
    sealer = [m for m in loaded if m.version == 5]
    assert sealer and sealer[0].name == "0005_audit_sealer.sql"
    assert "create table audit_heads" in sealer[0].sql.lower()
    assert "create table idempotency_keys" in text[3]
    assert "create table verified_checkpoints" in text[5]


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_migration_set_loads(service: str) -> None:
    loaded = migrations_for(service)
    versions = [m.version for m in loaded]
    # Numbered from 1 without gaps, so the order is unambiguous.
    assert versions == list(range(1, len(versions) + 1))
    assert all(m.sql.strip() for m in loaded)


def test_services_with_databases_have_migrations() -> None:
    assert migrations_for("intake")
    assert migrations_for("indicators")
