"""Which handler statements the rebuild holds back and how it sends them (pure parts)."""

from __future__ import annotations

from typing import Any

from indicators.usecases.batched_writes import BatchedWrites, _copy_target


def test_insert_of_each_placeholder_in_column_order_is_sent_by_copy() -> None:
    assert _copy_target("INSERT INTO facts (event_id, kind) VALUES ($1, $2)") == (
        "facts",
        ["event_id", "kind"],
    )


def test_other_shapes_are_not_copied() -> None:
    assert _copy_target("INSERT INTO facts (a, b) VALUES ($2, $1)") is None
    assert _copy_target("INSERT INTO facts (a, b) VALUES ($1, now())") is None
    assert _copy_target("INSERT INTO facts VALUES ($1, $2)") is None


class _Conn:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    async def execute(self, query: str, *args: Any, **_: Any) -> str:
        self.calls.append(("execute", query))
        return "UPDATE 1"

    async def executemany(self, query: str, rows: list[tuple[Any, ...]]) -> None:
        self.calls.append(("executemany", (query, rows)))

    async def copy_records_to_table(
        self, table: str, *, records: list[tuple[Any, ...]], columns: list[str]
    ) -> None:
        self.calls.append(("copy", (table, records, columns)))

    async def fetchval(self, query: str, *args: Any) -> int:
        self.calls.append(("fetchval", query))
        return 1


async def test_plain_inserts_wait_and_anything_else_sends_them_first() -> None:
    conn = _Conn()
    writes = BatchedWrites(conn)
    plain = "INSERT INTO facts (a, b) VALUES ($1, $2)"
    returning = "INSERT INTO facts (a) VALUES ($1) RETURNING a"
    assert await writes.execute(plain, 1, 2) == "INSERT 0 1"
    await writes.execute(plain, 3, 4)
    assert conn.calls == []  # held back
    await writes.fetchval("SELECT count(*) FROM facts")  # a read sees both rows first
    assert conn.calls == [
        ("copy", ("facts", [(1, 2), (3, 4)], ["a", "b"])),
        ("fetchval", "SELECT count(*) FROM facts"),
    ]
    conn.calls.clear()
    await writes.execute(returning, 5)  # never held: the handler may need what it returns
    await writes.execute("INSERT INTO facts (a) VALUES ($1) ON CONFLICT DO NOTHING", 6)
    assert [c[0] for c in conn.calls] == ["execute", "execute"]
