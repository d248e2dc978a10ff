"""Server/database URL helpers and address parsing (no I/O beyond a tmp file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kasane.db.urls import DatabaseUrlUnavailable, database_url, redact, server_url
from kasane.settings import Settings
from kasane_dev.local.net import split_host_port
from kasane_dev.local.postgres import socket_url


def test_database_url_keeps_unix_socket_query() -> None:
    url = "postgresql://postgres@/postgres?host=/s/pgdata"
    assert database_url(url, "intake") == "postgresql://postgres@/intake?host=/s/pgdata"


def test_database_url_with_empty_netloc_keeps_slashes() -> None:
    assert database_url("postgresql:///postgres?host=/x", "a") == "postgresql:///a?host=/x"


def test_database_url_tcp_with_credentials() -> None:
    url = "postgresql://u:p@db.example:5432/postgres?sslmode=require"
    assert database_url(url, "referral_t1") == (
        "postgresql://u:p@db.example:5432/referral_t1?sslmode=require"
    )


def test_database_url_without_path() -> None:
    assert database_url("postgresql://u@h:5432", "x") == "postgresql://u@h:5432/x"


def test_redact_hides_password_only() -> None:
    assert redact("postgresql://u:secret@h/db") == "postgresql://u:***@h/db"
    assert redact("postgresql://postgres@/db?host=/s") == "postgresql://postgres@/db?host=/s"


def test_socket_url_form() -> None:
    assert socket_url(Path("/s/pgdata")) == "postgresql://postgres@/postgres?host=/s/pgdata"


def test_server_url_prefers_configured_url(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path, database_url="postgresql://u@h/db")
    assert server_url(settings) == "postgresql://u@h/db"


def test_server_url_reads_recorded_embedded_url(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "postgres.url").write_text("postgresql://postgres@/postgres?host=/s\n")
    settings = Settings(state_dir=tmp_path, database_url="")
    assert server_url(settings) == "postgresql://postgres@/postgres?host=/s"


def test_server_url_explains_when_nothing_is_known(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUrlUnavailable, match="KASANE_DATABASE_URL"):
        server_url(Settings(state_dir=tmp_path, database_url=""))


@pytest.mark.parametrize(
    ("address", "expected"),
    [("127.0.0.1:39092", ("127.0.0.1", 39092)), ("a:1,b:2", ("a", 1)), (":9", ("127.0.0.1", 9))],
)
def test_split_host_port(address: str, expected: tuple[str, int]) -> None:
    assert split_host_port(address) == expected
