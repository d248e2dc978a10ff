"""Joining writes into one statement (kasane.db.statement.combined_sql, pure)."""

from __future__ import annotations

import pytest

from kasane.audit import AccessEntry, access_write
from kasane.db.statement import combined_sql


def test_parts_become_ctes_with_their_parameters_renumbered() -> None:
    sql = combined_sql(
        (
            ("INSERT INTO a (x, y) VALUES ($1, $2)", 2),
            ("UPDATE b SET z = $2 WHERE id = $1", 2),
            ("INSERT INTO c (v) SELECT $1 FROM d WHERE w = $1", 1),
        )
    )
    assert sql == (
        "WITH w1 AS (INSERT INTO a (x, y) VALUES ($1, $2)),\n"
        "w2 AS (UPDATE b SET z = $4 WHERE id = $3),\n"
        "w3 AS (INSERT INTO c (v) SELECT $5 FROM d WHERE w = $5)\n"
        "SELECT"
    )


def test_two_digit_parameters_are_renumbered_whole() -> None:
    eleven = ", ".join(f"${i}" for i in range(1, 12))
    sql = combined_sql((("SELECT $1", 1), (f"INSERT INTO t VALUES ({eleven})", 11)))
    assert "($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)" in sql


@pytest.mark.parametrize(("sql", "count"), [("VALUES ($1, $3)", 3), ("VALUES ($1, $2)", 3)])
def test_a_part_whose_parameters_do_not_match_its_arguments_is_refused(
    sql: str, count: int
) -> None:
    with pytest.raises(ValueError, match="parameters"):
        combined_sql((("SELECT 1", 0), (sql, count)))


def test_the_audit_part_is_the_row_record_access_inserts() -> None:
    entry = AccessEntry("sub", "jiritsu", "consultation", "c-1", "create", "相談受付", "allowed")
    write = access_write(entry)
    assert write.sql.startswith("INSERT INTO access_audit (at, actor_sub, actor_agency,")
    assert len(write.args) == write.sql.count("$")
    assert write.args[1:3] == ("sub", "jiritsu")
