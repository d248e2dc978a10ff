"""Audit sealer: links committed access-audit rows into the hash chain, and exports the
signed chain head (docs/architecture/access-audit.md).

Request transactions insert audit rows without any lock; their chain columns are empty.
Every pass (``KASANE_AUDIT_SEAL_INTERVAL_S``, default 0.25 s) the sealer takes the rows
whose transaction id is below a horizon under which every transaction of this database has
finished (from ``pg_current_snapshot()``, ignoring running transactions of other databases
on the server): such a row that the pass can see is committed and final, and no row can
still appear below the horizon later. It gives them the next positions in
(xid, insertion id) order and links their hashes. Rows of running transactions wait for a
later pass; rows of rolled-back transactions never existed.

One sealer per database (a session advisory lock, as for the outbox relay); a second
replica waits and takes over. The sealer's session is named ``kasane-audit-sealer pid=<pid>``
and kept alive over TCP like the relay's (``kasane.db.leader``), so a vanished host frees the
lock within about 25 s. :func:`seal_pending` also takes a transaction lock, so a
manual call (tests, tools) never races the background sealer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit import (
    _CONTENT,
    EMPTY_HEAD,
    ChainHead,
    SignedHead,
    check_against_head,
    head_signature_valid,
    latest_head,
    link,
    pending_count,
    read_chain,
    sign_head,
    verify_chain,
)
from kasane.auth.keys import PRIVATE_NAME
from kasane.db.leader import leader_session_settings
from kasane.settings import Settings

log = logging.getLogger(__name__)

_LEADER_LOCK = 7_302_018  # one sealer per database (session lock)
SEALER_APPLICATION_NAME = "kasane-audit-sealer"
_SEAL_LOCK = 7_302_019  # one sealing pass at a time (transaction lock)


async def chain_head(conn: asyncpg.Connection) -> ChainHead:
    row = await conn.fetchrow(
        "SELECT seq, hash FROM access_audit WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
    )
    return ChainHead(row["seq"], row["hash"]) if row else EMPTY_HEAD


# The sealing horizon: every transaction of *this* database below it has finished.
# From one snapshot: its xmax (ids at or above it may still be running), lowered to the
# oldest id it lists as running, except ids held by backends connected to another database
# (transaction ids are server-wide, but those never write this table). The activity view
# is read after the snapshot, in the same statement, so a transaction of this database
# that was running at the snapshot is either still listed as ours or already finished.
# An id of unknown origin (e.g. a prepared transaction) counts as ours: that only lowers
# the horizon.
_HORIZON = """
SELECT least(pg_snapshot_xmax(s.snap), (
    SELECT min(x) FROM pg_snapshot_xip(s.snap) AS x
    WHERE (x::text::bigint % 4294967296) NOT IN (
        SELECT backend_xid::text::bigint FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL
          AND datid <> (SELECT oid FROM pg_database WHERE datname = current_database()))))
FROM (SELECT pg_current_snapshot() AS snap) AS s
"""


async def sealing_horizon(conn: asyncpg.Connection) -> int:
    """The transaction id below which this database's rows are final (see above)."""
    return int(await conn.fetchval(_HORIZON))


async def seal_pending(conn: asyncpg.Connection, batch: int = 5000) -> int:
    """One sealing pass over at most ``batch`` rows; returns how many were sealed."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _SEAL_LOCK)
        # Read committed: each statement below takes a new snapshot after the lock, so it
        # sees what a previous pass sealed.
        head = await chain_head(conn)
        horizon = await sealing_horizon(conn)
        # A later snapshot than the horizon's: every transaction of this database below
        # the horizon had finished before it, so each of their rows is visible now (if
        # committed), and no row below the horizon can appear after this pass.
        rows = await conn.fetch(
            f"SELECT id, {', '.join(_CONTENT)} FROM access_audit"
            " WHERE seq IS NULL AND xid < $2::xid8 ORDER BY xid, id LIMIT $1",
            batch,
            horizon,
        )
        if not rows:
            return 0
        sealed = link(head, rows)
        await conn.execute(
            "UPDATE access_audit AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash"
            " FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])"
            " AS v(id, seq, prev_hash, hash) WHERE a.id = v.id",
            [s.id for s in sealed],
            [s.seq for s in sealed],
            [s.prev_hash for s in sealed],
            [s.hash for s in sealed],
        )
    return len(sealed)


async def seal_all(conn: asyncpg.Connection, batch: int = 5000) -> int:
    """Seal everything sealable now (several passes if there is a backlog)."""
    total = 0
    while True:
        done = await seal_pending(conn, batch)
        total += done
        if done < batch:
            return total


# --- Head export ------------------------------------------------------------------------


def signing_key(settings: Settings) -> Ed25519PrivateKey | None:
    """The key that signs exported heads: ``KASANE_AUDIT_SIGNING_KEY_FILE`` (production:
    the service's own audit key), else the development city key under the state folder."""
    path = Path(settings.audit_signing_key_file or settings.keys_dir / PRIVATE_NAME)
    if not path.exists():
        return None
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"{path} is not an Ed25519 private key")
    return key


def heads_file(settings: Settings, database: str) -> Path:
    folder = Path(settings.audit_heads_dir or settings.state_dir / "audit")
    return folder / f"{database}.heads.jsonl"


def read_exported_heads(path: Path) -> list[SignedHead]:
    if not path.exists():
        return []
    lines = path.read_text("utf-8").splitlines()
    return [SignedHead.from_json(json.loads(line)) for line in lines if line.strip()]


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


async def export_head(
    conn: asyncpg.Connection,
    key: Ed25519PrivateKey,
    path: Path | None,
    now: datetime | None = None,
) -> SignedHead | None:
    """Sign the current chain head and store it (table ``audit_heads`` and, if given, one
    JSON line appended to ``path``). Nothing is exported while the head is unchanged."""
    head = await chain_head(conn)
    previous = await latest_head(conn)
    if head.seq == 0 or (previous is not None and previous.seq == head.seq):
        return None
    database = str(await conn.fetchval("SELECT current_database()"))
    signed = sign_head(key, database, head, now or datetime.now(UTC))
    await conn.execute(
        "INSERT INTO audit_heads (seq, hash, exported_at, key_id, signature)"
        " VALUES ($1, $2, $3, $4, $5)",
        signed.seq,
        signed.hash,
        signed.exported_at,
        signed.key_id,
        signed.signature,
    )
    if path is not None:
        await asyncio.to_thread(_append_line, path, json.dumps(signed.to_json()))
    return signed


class AuditSealer:
    def __init__(
        self,
        dsn: str,
        *,
        interval_s: float = 0.25,
        head_interval_s: float = 60.0,
        key: Ed25519PrivateKey | None = None,
        heads_path: Path | None = None,
    ) -> None:
        self._dsn = dsn
        self._interval = interval_s
        self._head_interval = head_interval_s
        self._key = key
        self._heads_path = heads_path
        self._stopping = False

    @classmethod
    def for_service(cls, dsn: str, database: str, settings: Settings) -> AuditSealer:
        key = signing_key(settings)
        if key is None:
            log.warning("no audit signing key found: chain heads are not exported")
        return cls(
            dsn,
            interval_s=settings.audit_seal_interval_s,
            head_interval_s=settings.audit_head_interval_s,
            key=key,
            heads_path=heads_file(settings, database),
        )

    async def run(self) -> None:
        """Seal until cancelled; reconnects after database errors."""
        while not self._stopping:
            try:
                await self._run_as_leader()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("audit sealer failed; retrying")
                await asyncio.sleep(self._interval)

    async def _run_as_leader(self) -> None:
        conn: asyncpg.Connection = await asyncpg.connect(
            self._dsn, server_settings=leader_session_settings(SEALER_APPLICATION_NAME)
        )
        leader = False
        try:
            # Another replica may be the sealer; take over when it goes away.
            while True:
                if await conn.fetchval("SELECT pg_try_advisory_lock($1)", _LEADER_LOCK):
                    break
                await asyncio.sleep(self._interval)
            leader = True
            loop = asyncio.get_running_loop()
            next_export = loop.time() + self._head_interval
            while not self._stopping:
                await seal_all(conn)
                if self._key is not None and loop.time() >= next_export:
                    await export_head(conn, self._key, self._heads_path)
                    next_export = loop.time() + self._head_interval
                await asyncio.sleep(self._interval)
        finally:
            if leader and self._key is not None:
                # A clean stop leaves the latest head exported, not one interval old.
                with contextlib.suppress(Exception):
                    await seal_all(conn)
                    await export_head(conn, self._key, self._heads_path)
            with contextlib.suppress(Exception):
                await conn.close()

    def stop(self) -> None:
        self._stopping = True


# --- Verification -----------------------------------------------------------------------


async def verify_database(
    conn: asyncpg.Connection, key: Ed25519PrivateKey | None, heads_path: Path | None
) -> dict[str, Any]:
    """Verify the sealed chain, then compare it with the last exported heads (the one kept
    in the database and the one in the heads file outside it). The answer of
    ``GET /audit/verify``: ``intact`` is false if either check fails."""
    rows = await read_chain(conn)
    broken = verify_chain(rows)
    exported = [h for h in [await latest_head(conn)] if h is not None]
    if heads_path is not None:
        exported.extend(read_exported_heads(heads_path)[-1:])
    head_problem: str | None = None
    checked: SignedHead | None = None
    for head in sorted(exported, key=lambda h: h.seq, reverse=True):
        checked = checked or head
        if key is not None and not head_signature_valid(head, key.public_key()):
            head_problem = (
                f"署名済みの先頭（{head.seq} 件目）の署名が不正です"
                f" / the exported head at seq {head.seq} has an invalid signature"
            )
        else:
            head_problem = check_against_head(rows, head)
        if head_problem:
            break
    oldest = await conn.fetchval("SELECT min(at) FROM access_audit WHERE seq IS NULL")
    return {
        "rows": len(rows),
        "pending": await pending_count(conn),
        # Normally under a second old; older means a long transaction holds the horizon.
        "oldest_pending_at": oldest,
        "intact": broken is None and head_problem is None,
        "first_broken_seq": broken,
        "exported_head": checked.to_json() if checked else None,
        "head_problem": head_problem,
    }
