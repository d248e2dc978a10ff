"""Access audit: append-only, hash-chained rows of who touched which personal record.

Write with :func:`record_access` inside the same transaction as the read or change it
describes (DESIGN.md section 6), so an access is never without its row. Rows hold ids and
codes, never the personal data itself. ``chain_hash`` and ``verify_chain`` are pure, so
the chain rule is unit-tested without a database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import asyncpg

from kasane.auth.principal import Principal

T = TypeVar("T")

GENESIS = "0" * 64
_CHAIN_LOCK = 7_302_017  # serialises appenders: each row must see its predecessor's hash

_FIELDS = (
    "seq",
    "at",
    "actor_sub",
    "actor_agency",
    "record_type",
    "record_id",
    "subject_id",
    "action",
    "purpose",
    "legal_basis",
    "outcome",
)


@dataclass(frozen=True)
class AccessEntry:
    actor_sub: str
    actor_agency: str
    record_type: str  # e.g. "consultation", "person"
    record_id: str
    action: str  # "read" | "create" | "update" | "link" | ...
    purpose: str  # why, in the staff member's terms (e.g. "相談受付")
    outcome: str  # "allowed" | "denied"
    legal_basis: str | None = None  # "consent" | "support_meeting" | "owner" | ...
    subject_id: str | None = None  # the person the record is about, for 開示請求

    @classmethod
    def by(cls, principal: Principal, **fields: Any) -> AccessEntry:
        return cls(actor_sub=principal.sub, actor_agency=principal.agency, **fields)


def _canonical(row: Mapping[str, Any]) -> bytes:
    data = {k: row[k] for k in _FIELDS}
    at = data["at"]
    data["at"] = at.astimezone(UTC).isoformat() if isinstance(at, datetime) else at
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(row)).hexdigest()


def verify_chain(rows: Iterable[Mapping[str, Any]]) -> int | None:
    """Return the ``seq`` of the first row that breaks the chain, or None if intact."""
    prev = GENESIS
    for row in rows:
        if row["prev_hash"] != prev or chain_hash(prev, row) != row["hash"]:
            return int(row["seq"])
        prev = row["hash"]
    return None


# Path parameters that name a personal record in some service, and the record type its
# audit rows use there. A refusal on a route with one of these is a refused attempt on a
# personal record and is audited even when it is refused before the record is looked up.
PERSONAL_RECORD_PARAMS: Mapping[str, str] = {
    "person_id": "person",
    "household_id": "household",
    "case_id": "case",
    "consent_id": "consent",
    "referral_id": "referral",
    "participant_id": "participant",
    "target_id": "outreach_target",
    "plan_id": "plan",
    "concern_id": "concern",
}
REFUSED_ROLE_PURPOSE = "権限のない役割による試行 / attempt by a role that may not act"


def refusal_entries(
    principal: Principal, method: str, path_params: Mapping[str, Any], purpose: str | None = None
) -> list[AccessEntry]:
    """The denied rows for a request refused before its record was looked up (pure): one
    per personal record named in the path, none if the path names none."""
    action = "read" if method.upper() in ("GET", "HEAD") else "change"
    return [
        AccessEntry.by(
            principal,
            record_type=record_type,
            record_id=str(path_params[param]),
            subject_id=str(path_params[param]),
            action=action,
            purpose=purpose or REFUSED_ROLE_PURPOSE,
            outcome="denied",
        )
        for param, record_type in PERSONAL_RECORD_PARAMS.items()
        if param in path_params
    ]


async def record_access(conn: asyncpg.Connection, entry: AccessEntry) -> int:
    if not conn.is_in_transaction():
        raise RuntimeError("record_access must run inside the access's transaction")
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _CHAIN_LOCK)
    last = await conn.fetchrow("SELECT seq, hash FROM access_audit ORDER BY seq DESC LIMIT 1")
    # Microsecond precision is what PostgreSQL stores, so the hash survives a round trip.
    row: dict[str, Any] = {
        **asdict(entry),
        "seq": (last["seq"] + 1) if last else 1,
        "at": datetime.now(UTC),
    }
    prev_hash = last["hash"] if last else GENESIS
    row["prev_hash"] = prev_hash
    row["hash"] = chain_hash(prev_hash, row)
    columns = [*_FIELDS, "prev_hash", "hash"]
    await conn.execute(
        f"INSERT INTO access_audit ({', '.join(columns)})"
        f" VALUES ({', '.join(f'${i}' for i in range(1, len(columns) + 1))})",
        *(row[c] for c in columns),
    )
    return int(row["seq"])


async def read_chain(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return list(await conn.fetch("SELECT * FROM access_audit ORDER BY seq"))


async def audited(
    pool: asyncpg.Pool,
    denial: AccessEntry,
    work: Callable[[asyncpg.Connection], Awaitable[T]],
) -> T:
    """Run ``work`` in one transaction; if it is refused, roll it back and leave one
    ``denial`` row in a transaction of its own (a denial must survive the rollback)."""
    from kasane.web.errors import Refused  # web depends on audit, not the other way round

    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                return await work(conn)
        except Refused:
            async with conn.transaction():
                await record_access(conn, denial)
            raise
