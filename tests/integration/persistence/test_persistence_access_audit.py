"""Access audit on real PostgreSQL: lock-free appends, the sealer, the hash chain, the
append-only trigger, exported heads, and the migration of rows chained before the sealer."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit import (
    GENESIS,
    AccessEntry,
    chain_hash,
    check_against_head,
    content_hash,
    head_signature_valid,
    latest_head,
    pending_count,
    read_chain,
    record_access,
    verify_chain,
)
from kasane.audit_sealer import (
    SEALER_APPLICATION_NAME,
    AuditSealer,
    export_head,
    read_exported_heads,
    seal_all,
    seal_pending,
    sealing_horizon,
    verify_database,
)
from kasane.db.migrate import apply, migrate_service, migrations_for

from .conftest import NewDatabase

pytestmark = pytest.mark.integration


def _entry(i: int, **overrides: str | None) -> AccessEntry:
    fields: dict[str, str | None] = {
        "actor_sub": f"staff-{i}",
        "actor_agency": "jiritsu" if i % 2 else "houkatsu-1",
        "record_type": "consultation",
        "record_id": f"rec-{i}",
        "action": "read" if i % 3 else "update",
        "purpose": "相談受付",
        "outcome": "allowed" if i % 4 else "denied",
        "legal_basis": "consent" if i % 2 else None,
        "subject_id": f"person-{i % 3}" if i % 5 else None,
    }
    fields.update(overrides)
    return AccessEntry(**fields)  # type: ignore[arg-type]


async def _append(pool: asyncpg.Pool, entry: AccessEntry) -> int:
    async with pool.acquire() as conn, conn.transaction():
        return await record_access(conn, entry)


async def _seal(pool: asyncpg.Pool) -> int:
    """Seal until nothing committed is pending (a loop, to be safe on a busy test server)."""
    total = 0
    deadline = time.monotonic() + 60
    async with pool.acquire() as conn:
        while True:
            total += await seal_all(conn)
            if await pending_count(conn) == 0 or time.monotonic() > deadline:
                return total
            await asyncio.sleep(0.01)


async def _chain(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    async with pool.acquire() as conn:
        return await read_chain(conn)


async def _as_superuser(pool: asyncpg.Pool, *statements: str) -> None:
    """What an owner who disables the trigger can do: change rows without the guard."""
    async with pool.acquire() as conn:
        await conn.execute("ALTER TABLE access_audit DISABLE TRIGGER USER")
        for statement in statements:
            await conn.execute(statement)
        await conn.execute("ALTER TABLE access_audit ENABLE TRIGGER USER")


async def test_recorded_rows_are_sealed_into_an_intact_chain(pool: asyncpg.Pool) -> None:
    entries = [_entry(i) for i in range(1, 8)]
    ids = [await _append(pool, e) for e in entries]
    assert await _chain(pool) == []  # appending alone does not chain
    assert await _seal(pool) == 7

    rows = await _chain(pool)
    assert verify_chain(rows) is None
    assert [r["seq"] for r in rows] == list(range(1, 8))
    assert [r["id"] for r in rows] == ids  # sequential transactions keep their order
    assert rows[0]["prev_hash"] == GENESIS
    for row, entry in zip(rows, entries, strict=True):
        assert {k: row[k] for k in asdict(entry)} == asdict(entry)
        # The stored hashes are reproducible from the stored row (survive the round trip).
        assert row["hash"] == chain_hash(row["prev_hash"], row)
        assert row["content_hash"] == content_hash(row)
    assert await _seal(pool) == 0  # sealing is idempotent


async def test_several_rows_in_one_transaction_are_sealed_next_to_each_other(
    pool: asyncpg.Pool,
) -> None:
    await _append(pool, _entry(1))
    async with pool.acquire() as conn, conn.transaction():
        first = await record_access(conn, _entry(2))
        second = await record_access(conn, _entry(3))
    await _append(pool, _entry(4))
    await _seal(pool)
    rows = await _chain(pool)
    assert [r["id"] for r in rows][1:3] == [first, second]
    assert rows[2]["prev_hash"] == rows[1]["hash"]
    assert verify_chain(rows) is None


async def test_two_open_transactions_append_without_waiting_for_each_other(
    pool: asyncpg.Pool,
) -> None:
    # With a chain lock held until commit, the second insert would wait for the first
    # transaction to end (here: forever, since it commits only afterwards).
    async with pool.acquire() as a, pool.acquire() as b:
        ta, tb = a.transaction(), b.transaction()
        await ta.start()
        await tb.start()
        await record_access(a, _entry(1))
        await asyncio.wait_for(record_access(b, _entry(2)), timeout=2)
        await asyncio.wait_for(record_access(a, _entry(3)), timeout=2)
        await tb.commit()
        await ta.commit()
    await _seal(pool)
    rows = await _chain(pool)
    assert sorted(r["record_id"] for r in rows) == ["rec-1", "rec-2", "rec-3"]
    assert verify_chain(rows) is None


async def test_rows_wait_for_running_transactions_and_rolled_back_rows_never_enter(
    pool: asyncpg.Pool,
) -> None:
    await _append(pool, _entry(1))
    async with pool.acquire() as open_conn:
        running = open_conn.transaction()
        await running.start()
        await record_access(open_conn, _entry(2))  # older transaction, still running
        await _append(pool, _entry(3))  # younger, committed
        # Nothing at or after the running transaction is sealed: the chain order (by
        # transaction id) must not change when it commits.
        deadline = time.monotonic() + 60
        async with pool.acquire() as conn:
            while not await read_chain(conn) and time.monotonic() < deadline:
                await seal_all(conn)
                await asyncio.sleep(0.01)
            await seal_all(conn)
            assert [r["record_id"] for r in await read_chain(conn)] == ["rec-1"]
            assert await pending_count(conn) == 1  # rec-3 (rec-2 is not visible)
        await running.rollback()

    assert await _seal(pool) == 1
    rows = await _chain(pool)
    assert [(r["seq"], r["record_id"]) for r in rows] == [(1, "rec-1"), (2, "rec-3")]
    assert verify_chain(rows) is None
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM access_audit") == 2
        assert await pending_count(conn) == 0


async def test_a_long_transaction_in_another_database_does_not_hold_sealing_back(
    pool: asyncpg.Pool, new_database: NewDatabase
) -> None:
    other = await asyncpg.connect(await new_database())
    try:
        running = other.transaction()
        await running.start()
        await other.fetchval("SELECT pg_current_xact_id()")  # older, still running
        await _append(pool, _entry(1))
        async with pool.acquire() as conn:
            assert await seal_pending(conn) == 1
        await running.rollback()
    finally:
        await other.close()
    assert [r["record_id"] for r in await _chain(pool)] == ["rec-1"]


async def test_a_row_in_a_rolled_back_savepoint_never_enters_and_the_rest_does(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await record_access(conn, _entry(1))
        with pytest.raises(ZeroDivisionError):
            async with conn.transaction():  # savepoint
                await record_access(conn, _entry(2))
                raise ZeroDivisionError
        await record_access(conn, _entry(3))
    await _seal(pool)
    rows = await _chain(pool)
    assert [r["record_id"] for r in rows] == ["rec-1", "rec-3"]
    assert verify_chain(rows) is None


async def test_record_access_outside_a_transaction_is_refused(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="transaction"):
            await record_access(conn, _entry(1))
        assert await conn.fetchval("SELECT count(*) FROM access_audit") == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE access_audit SET outcome = 'denied'",
        "UPDATE access_audit SET purpose = 'x' WHERE seq = 1",
        "UPDATE access_audit SET hash = hash WHERE seq = 2",  # re-sealing a sealed row
        "UPDATE access_audit SET seq = 10, prev_hash = 'a', hash = 'b' WHERE seq = 1",
        # Filling an unsealed row's chain columns is allowed, but not with other changes.
        "UPDATE access_audit SET seq = 3, prev_hash = 'a', hash = 'b', outcome = 'denied'"
        " WHERE seq IS NULL",
        "UPDATE access_audit SET seq = 3, prev_hash = 'a', hash = 'b', xid = '1' WHERE seq IS NULL",
        "UPDATE access_audit SET content_hash = 'x' WHERE seq IS NULL",
        "DELETE FROM access_audit WHERE seq = 2",
        "DELETE FROM access_audit WHERE seq IS NULL",
        "DELETE FROM access_audit",
        "TRUNCATE access_audit",
    ],
)
async def test_access_audit_is_append_only(pool: asyncpg.Pool, statement: str) -> None:
    for i in (1, 2):
        await _append(pool, _entry(i))
    await _seal(pool)
    await _append(pool, _entry(3))  # one row still unsealed
    async with pool.acquire() as conn:
        before = [dict(r) for r in await conn.fetch("SELECT * FROM access_audit ORDER BY id")]
        with pytest.raises(asyncpg.PostgresError, match="append-only"):
            await conn.execute(statement)
        after = [dict(r) for r in await conn.fetch("SELECT * FROM access_audit ORDER BY id")]
    assert after == before


async def test_concurrent_appenders_are_sealed_into_one_intact_chain(pool: asyncpg.Pool) -> None:
    n = 20
    ids = await asyncio.gather(*(_append(pool, _entry(i)) for i in range(n)))
    assert len(set(ids)) == n
    await _seal(pool)
    rows = await _chain(pool)
    assert [r["seq"] for r in rows] == list(range(1, n + 1))
    assert sorted(r["record_id"] for r in rows) == sorted(f"rec-{i}" for i in range(n))
    assert verify_chain(rows) is None


async def test_concurrent_multi_row_transactions_stay_together_in_the_chain(
    pool: asyncpg.Pool,
) -> None:
    async def three(i: int) -> list[int]:
        async with pool.acquire() as conn, conn.transaction():
            out = [await record_access(conn, _entry(i * 10 + k)) for k in range(3)]
            await asyncio.sleep(0.01)  # hold the transaction open a little
            return out

    results = await asyncio.gather(*(three(i) for i in range(8)))
    await _seal(pool)
    rows = await _chain(pool)
    assert [r["seq"] for r in rows] == list(range(1, 25))
    assert verify_chain(rows) is None
    # Rows of one transaction are sealed consecutively, in insertion order.
    position = {r["id"]: r["seq"] for r in rows}
    for ids in results:
        seqs = [position[i] for i in ids]
        assert seqs == list(range(seqs[0], seqs[0] + 3))


async def test_background_sealer_seals_committed_rows_within_a_second(
    intake_dsn: str, pool: asyncpg.Pool
) -> None:
    """The bound is one second after the row's transaction falls below the sealing
    horizon, i.e. after it and every older transaction of the database have finished."""
    sealer = AuditSealer(intake_dsn, interval_s=0.25)
    task = asyncio.create_task(sealer.run())
    try:
        for i in range(3):
            row_id = await _append(pool, _entry(i))
            final_at = None
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                async with pool.acquire() as conn, conn.transaction():
                    state = await conn.fetchrow(
                        "SELECT seq, xid < $2::xid8 AS final FROM access_audit WHERE id = $1",
                        row_id,
                        await sealing_horizon(conn),
                    )
                if final_at is None and state["final"]:
                    final_at = time.monotonic()
                if state["seq"] is not None:
                    break
                await asyncio.sleep(0.02)
            assert state["seq"] == i + 1
            assert final_at is not None and time.monotonic() - final_at < 1.0
    finally:
        sealer.stop()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert verify_chain(await _chain(pool)) is None


async def test_two_sealers_on_one_database_seal_each_row_once(
    intake_dsn: str, pool: asyncpg.Pool
) -> None:
    sealers = [AuditSealer(intake_dsn, interval_s=0.05) for _ in range(2)]
    tasks = [asyncio.create_task(s.run()) for s in sealers]
    try:
        for batch in range(5):
            await asyncio.gather(*(_append(pool, _entry(batch * 10 + i)) for i in range(10)))
            async with pool.acquire() as conn:
                await seal_pending(conn)  # a manual pass racing the background ones
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            async with pool.acquire() as conn:
                if await pending_count(conn) == 0:
                    break
            await asyncio.sleep(0.05)
    finally:
        for s, t in zip(sealers, tasks, strict=True):
            s.stop()
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    rows = await _chain(pool)
    assert [r["seq"] for r in rows] == list(range(1, 51))
    assert verify_chain(rows) is None


async def test_the_sealers_session_names_its_process_and_a_survivor_takes_over(
    intake_dsn: str, pool: asyncpg.Pool
) -> None:
    """The leader's session says it is the sealer and which process (pg_stat_activity), so an
    operator sees who seals; when it goes, the waiting sealer takes the lock."""
    first, second = (
        AuditSealer(intake_dsn, interval_s=0.05),
        AuditSealer(intake_dsn, interval_s=0.05),
    )
    tasks = [asyncio.create_task(first.run())]

    async def leaders() -> list[str]:
        async with pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT a.application_name FROM pg_locks l"
                " JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = $1::bigint::oid"
                " AND l.database ="
                " (SELECT oid FROM pg_database WHERE datname = current_database())",
                7_302_018,
            )
        return [r["application_name"] for r in rows]

    async def until(predicate: Callable[[list[str]], bool]) -> list[str]:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = await leaders()
            if predicate(found):
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"sealer leadership not as expected: {await leaders()}")

    try:
        held = await until(lambda names: len(names) == 1)
        assert held == [f"{SEALER_APPLICATION_NAME} pid={os.getpid()}"]
        tasks.append(asyncio.create_task(second.run()))
        await asyncio.sleep(0.3)
        assert len(await leaders()) == 1  # the second waits
        first.stop()
        tasks[0].cancel()
        await asyncio.gather(tasks[0], return_exceptions=True)
        assert await until(lambda names: len(names) == 1) == held  # the same process name
    finally:
        for s, t in zip((first, second), tasks, strict=False):
            s.stop()
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _sealed_chain(pool: asyncpg.Pool, n: int) -> None:
    for i in range(1, n + 1):
        await _append(pool, _entry(i))
    await _seal(pool)


async def test_tampering_behind_the_trigger_is_detected(pool: asyncpg.Pool) -> None:
    await _sealed_chain(pool, 5)
    await _as_superuser(pool, "UPDATE access_audit SET outcome = 'denied' WHERE seq = 3")
    assert verify_chain(await _chain(pool)) == 3


async def test_reordered_rows_are_detected(pool: asyncpg.Pool) -> None:
    await _sealed_chain(pool, 5)
    # Swap the positions of rows 2 and 3 (via a free position, seq is unique).
    await _as_superuser(
        pool,
        "UPDATE access_audit SET seq = 100 WHERE seq = 2",
        "UPDATE access_audit SET seq = 2 WHERE seq = 3",
        "UPDATE access_audit SET seq = 3 WHERE seq = 100",
    )
    assert verify_chain(await _chain(pool)) == 2


async def test_a_deleted_middle_row_is_detected(pool: asyncpg.Pool) -> None:
    await _sealed_chain(pool, 5)
    await _as_superuser(pool, "DELETE FROM access_audit WHERE seq = 3")
    assert verify_chain(await _chain(pool)) == 4


async def test_unsealed_row_edited_before_sealing_is_detected(pool: asyncpg.Pool) -> None:
    await _append(pool, _entry(1))
    await _append(pool, _entry(2))
    await _as_superuser(
        pool, "UPDATE access_audit SET outcome = 'denied' WHERE record_id = 'rec-2'"
    )
    await _seal(pool)  # the sealer links what it finds; the content hash still disagrees
    assert verify_chain(await _chain(pool)) == 2


async def test_removed_tail_is_detected_against_the_exported_head(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    heads = tmp_path / "intake.heads.jsonl"
    await _sealed_chain(pool, 6)
    async with pool.acquire() as conn:
        exported = await export_head(conn, key, heads)
        assert exported is not None and exported.seq == 6
        assert await export_head(conn, key, heads) is None  # unchanged head: no new export
        assert await latest_head(conn) == exported
    assert read_exported_heads(heads) == [exported]
    assert head_signature_valid(exported, key.public_key())
    async with pool.acquire() as conn:
        report = await verify_database(conn, key, heads)
    assert report["intact"] is True and report["rows"] == 6

    # The tail goes, heads table included: the chain alone still looks intact.
    await _as_superuser(pool, "DELETE FROM access_audit WHERE seq >= 5")
    async with pool.acquire() as conn:
        await conn.execute("ALTER TABLE audit_heads DISABLE TRIGGER USER")
        await conn.execute("DELETE FROM audit_heads")
        await conn.execute("ALTER TABLE audit_heads ENABLE TRIGGER USER")
    rows = await _chain(pool)
    assert verify_chain(rows) is None
    problem = check_against_head(rows, read_exported_heads(heads)[-1])
    assert problem is not None and "tail was removed" in problem
    async with pool.acquire() as conn:
        report = await verify_database(conn, key, heads)
    assert report["intact"] is False
    assert report["first_broken_seq"] is None
    assert "末尾が削除" in report["head_problem"]

    # Re-filling the tail with new rows does not hide it: position 6 has another hash.
    await _sealed_chain(pool, 2)
    rows = await _chain(pool)
    assert len(rows) == 6 and verify_chain(rows) is None
    problem = check_against_head(rows, read_exported_heads(heads)[-1])
    assert problem is not None and "no longer has the exported hash" in problem


async def test_a_forged_exported_head_is_reported(pool: asyncpg.Pool, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    heads = tmp_path / "intake.heads.jsonl"
    await _sealed_chain(pool, 3)
    async with pool.acquire() as conn:
        await export_head(conn, Ed25519PrivateKey.generate(), heads)  # someone else's key
        report = await verify_database(conn, key, heads)
    assert report["intact"] is False
    assert "invalid signature" in report["head_problem"]


async def _old_style_append(conn: asyncpg.Connection, entry: AccessEntry) -> None:
    """How rows were written before the sealer (global lock, chained on insert)."""
    last = await conn.fetchrow("SELECT seq, hash FROM access_audit ORDER BY seq DESC LIMIT 1")
    row: dict[str, Any] = {
        **asdict(entry),
        "seq": (last["seq"] + 1) if last else 1,
        "at": datetime.now(UTC),
    }
    row["prev_hash"] = last["hash"] if last else GENESIS
    row["hash"] = chain_hash(row["prev_hash"], row)
    columns = list(row)
    await conn.execute(
        f"INSERT INTO access_audit ({', '.join(columns)})"
        f" VALUES ({', '.join(f'${i}' for i in range(1, len(columns) + 1))})",
        *row.values(),
    )


async def test_rows_chained_before_the_sealer_stay_valid_and_the_chain_continues(
    new_database: NewDatabase,
) -> None:
    dsn = await new_database()
    conn = await asyncpg.connect(dsn)
    try:
        before_sealer = [m for m in migrations_for("kasane") if m.version <= 3]
        await apply(conn, "kasane", before_sealer)
        for i in range(1, 5):
            await _old_style_append(conn, _entry(i))
        old = [dict(r) for r in await conn.fetch("SELECT * FROM access_audit ORDER BY seq")]
    finally:
        await conn.close()

    await migrate_service("intake", dsn)

    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
    try:
        rows = await _chain(pool)
        assert verify_chain(rows) is None
        for before, after in zip(old, rows, strict=True):
            assert {k: after[k] for k in before} == before  # migrated in place, unchanged
            assert after["id"] == before["seq"] and after["xid"] is None
        new_id = await _append(pool, _entry(5))
        assert new_id == 5
        await _seal(pool)
        rows = await _chain(pool)
        assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5]
        assert rows[4]["prev_hash"] == rows[3]["hash"]
        assert verify_chain(rows) is None
    finally:
        await pool.close()


async def _run_sealer_until(sealer: AuditSealer, pool: asyncpg.Pool, n: int) -> None:
    """Run ``sealer`` while appending up to row ``n``, until all is sealed; then stop it."""
    task = asyncio.create_task(sealer.run())
    try:
        async with pool.acquire() as conn:
            have = await conn.fetchval("SELECT count(*) FROM access_audit")
        for i in range(have + 1, n + 1):
            await _append(pool, _entry(i))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            async with pool.acquire() as conn:
                if await pending_count(conn) == 0:
                    break
            await asyncio.sleep(0.05)
    finally:
        sealer.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_running_sealer_exports_signed_heads_periodically_and_when_stopped(
    intake_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    heads = tmp_path / "intake.heads.jsonl"

    def sealer(head_interval_s: float) -> AuditSealer:
        return AuditSealer(
            intake_dsn, interval_s=0.05, head_interval_s=head_interval_s, key=key, heads_path=heads
        )

    await _sealed_chain(pool, 3)
    periodic = sealer(0.1)
    task = asyncio.create_task(periodic.run())
    try:
        for _ in range(600):
            if read_exported_heads(heads):
                break
            await asyncio.sleep(0.05)
        assert [h.seq for h in read_exported_heads(heads)] == [3]  # while running
    finally:
        periodic.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    # A sealer whose next periodic export is an hour away still leaves its head on stop.
    await _run_sealer_until(sealer(3600), pool, 5)
    exported = read_exported_heads(heads)
    assert [h.seq for h in exported] == [3, 5]
    rows = await _chain(pool)
    for head in exported:
        assert head_signature_valid(head, key.public_key())
        assert check_against_head(rows, head) is None
    async with pool.acquire() as conn:
        assert await latest_head(conn) == exported[-1]
        report = await verify_database(conn, key, heads)
    assert report["intact"] is True and report["rows"] == 5 and report["pending"] == 0
