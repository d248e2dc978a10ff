"""Access audit: append-only, hash-chained rows of who touched which personal record.

Write with :func:`record_access` inside the same transaction as the read or change it
describes, so an access is never without its row. Rows hold ids and codes, never the
personal data itself.

Appending takes no lock: a request transaction only inserts its row (with its transaction
id and its own content hash). The sealer (:mod:`kasane.audit_sealer`) later gives committed
rows their chain position and links their hashes, within a bounded delay
(docs/architecture/access-audit.md). The chain rule — :func:`chain_hash`, :func:`link`,
:func:`verify_chain`, :func:`check_against_head` and the head signature — is pure, so it is
unit-tested without a database.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from typing import Any, TypeVar

import asyncpg
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kasane.auth.principal import Principal
from kasane.db.statement import Write

T = TypeVar("T")

GENESIS = "0" * 64

# What a row says, set once by the appender; ``seq`` (the chain position) is added by the
# sealer. The chain hash covers both, exactly as before the sealer existed, so rows chained
# under the old global lock still verify.
_CONTENT = (
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
_FIELDS = ("seq", *_CONTENT)


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


@dataclass(frozen=True)
class ChainHead:
    """The last sealed row: its position and hash (``seq`` 0 and GENESIS when empty)."""

    seq: int
    hash: str


EMPTY_HEAD = ChainHead(0, GENESIS)


@dataclass(frozen=True)
class Sealed:
    """Chain columns the sealer writes into the row with insertion ``id``."""

    id: int
    seq: int
    prev_hash: str
    hash: str


def _canonical(row: Mapping[str, Any], fields: Sequence[str]) -> bytes:
    data = {k: row[k] for k in fields}
    at = data["at"]
    data["at"] = at.astimezone(UTC).isoformat() if isinstance(at, datetime) else at
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(row: Mapping[str, Any]) -> str:
    """The row's own hash, fixed when it is inserted (before it has a chain position)."""
    return hashlib.sha256(_canonical(row, _CONTENT)).hexdigest()


def chain_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(row, _FIELDS)).hexdigest()


def link(head: ChainHead, rows: Iterable[Mapping[str, Any]]) -> list[Sealed]:
    """Give ``rows`` (already in their final order) the next positions after ``head`` and
    link each hash to the previous one."""
    out = []
    prev, seq = head.hash, head.seq
    for row in rows:
        seq += 1
        digest = chain_hash(prev, {**row, "seq": seq})
        out.append(Sealed(int(row["id"]), seq, prev, digest))
        prev = digest
    return out


def verify_chain(rows: Iterable[Mapping[str, Any]]) -> int | None:
    """Return the ``seq`` of the first row that breaks the chain, or None if intact.

    ``rows`` are the sealed rows in ``seq`` order. A row breaks the chain if it is not at
    the next position, does not point at its predecessor's hash, does not hash to its own
    ``hash``, or (when it has one) no longer matches the content hash it was inserted with.
    """
    prev = GENESIS
    for expected, row in enumerate(rows, start=1):
        if (
            row["seq"] != expected
            or row["prev_hash"] != prev
            or chain_hash(prev, row) != row["hash"]
            or (row.get("content_hash") is not None and content_hash(row) != row["content_hash"])
        ):
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


# --- Exported heads -----------------------------------------------------------------------


@dataclass(frozen=True)
class SignedHead:
    """A chain head as exported: where the chain was, when, signed by the exporter's key."""

    database: str
    seq: int
    hash: str
    exported_at: datetime
    key_id: str
    signature: str  # base64 Ed25519 over :meth:`message`

    def message(self) -> bytes:
        data = {
            "database": self.database,
            "seq": self.seq,
            "hash": self.hash,
            "exported_at": self.exported_at.astimezone(UTC).isoformat(),
            "key_id": self.key_id,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    def to_json(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "seq": self.seq,
            "hash": self.hash,
            "exported_at": self.exported_at.astimezone(UTC).isoformat(),
            "key_id": self.key_id,
            "signature": self.signature,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SignedHead:
        return cls(
            database=str(data["database"]),
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            exported_at=datetime.fromisoformat(str(data["exported_at"])),
            key_id=str(data["key_id"]),
            signature=str(data["signature"]),
        )


def key_id(public: Ed25519PublicKey) -> str:
    """A short name for a public key (which key signed a head), not a secret."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign_head(
    key: Ed25519PrivateKey, database: str, head: ChainHead, exported_at: datetime
) -> SignedHead:
    unsigned = SignedHead(database, head.seq, head.hash, exported_at, key_id(key.public_key()), "")
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    return SignedHead(database, head.seq, head.hash, exported_at, unsigned.key_id, signature)


def head_signature_valid(head: SignedHead, public: Ed25519PublicKey) -> bool:
    if head.key_id != key_id(public):
        return False
    try:
        public.verify(base64.b64decode(head.signature), head.message())
    except (InvalidSignature, ValueError):
        return False
    return True


def check_against_head(rows: Sequence[Mapping[str, Any]], head: SignedHead) -> str | None:
    """Compare the sealed chain (``seq`` order) with an exported head; None if it still
    holds the head's row unchanged, else the reason in Japanese / English.

    The chain itself cannot show that its last rows were removed: the exported head can.
    """
    if head.seq == 0:
        return None
    if len(rows) < head.seq or rows[head.seq - 1]["seq"] != head.seq:
        last = rows[-1]["seq"] if rows else 0
        return (
            f"記録の末尾が削除されています（署名済みの先頭は {head.seq} 件目、"
            f"現在は {last} 件目まで） / the chain's tail was removed: exported head at"
            f" seq {head.seq}, chain ends at {last}"
        )
    if rows[head.seq - 1]["hash"] != head.hash:
        return (
            f"{head.seq} 件目のハッシュが署名済みの値と異なります"
            f" / the row at seq {head.seq} no longer has the exported hash"
        )
    return None


# --- Writing ----------------------------------------------------------------------------


_COLUMNS = (*_CONTENT, "content_hash")
_ENTRY_FIELDS = tuple(f.name for f in dataclass_fields(AccessEntry))
_INSERT = (
    f"INSERT INTO access_audit ({', '.join(_COLUMNS)})"
    f" VALUES ({', '.join(f'${i}' for i in range(1, len(_COLUMNS) + 1))})"
)


def _row_values(entry: AccessEntry) -> tuple[Any, ...]:
    """The row's column values, in ``_COLUMNS`` order: the entry, the time, its content hash."""
    # Microsecond precision is what PostgreSQL stores, so the hashes survive a round trip.
    # Field by field: dataclasses.asdict deep-copies every value, a third of this function's
    # cost, for strings that are immutable anyway.
    row: dict[str, Any] = {f: getattr(entry, f) for f in _ENTRY_FIELDS}
    row["at"] = datetime.now(UTC)
    row["content_hash"] = content_hash(row)
    return tuple(row[c] for c in _COLUMNS)


async def record_access(conn: asyncpg.Connection, entry: AccessEntry) -> int:
    """Insert the access's row in the caller's transaction; returns its insertion id.

    No lock and no read of the previous row: concurrent transactions append without
    waiting on each other. The row gets its chain position when the sealer sees its
    transaction finished; if the transaction rolls back, the row never existed.
    """
    if not conn.is_in_transaction():
        raise RuntimeError("record_access must run inside the access's transaction")
    inserted = await conn.fetchval(f"{_INSERT} RETURNING id", *_row_values(entry))
    return int(inserted)


def access_write(entry: AccessEntry) -> Write:
    """:func:`record_access`'s row as a part of a statement that also makes the change the
    access is (``kasane.db.statement.write_all``): the row and the change are one statement,
    so neither exists without the other, in a transaction or not."""
    return Write(_INSERT, _row_values(entry))


async def read_chain(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """The sealed rows in chain order (rows still waiting for the sealer are not in it)."""
    return list(await conn.fetch("SELECT * FROM access_audit WHERE seq IS NOT NULL ORDER BY seq"))


async def pending_count(conn: asyncpg.Connection) -> int:
    """Committed rows not sealed yet (normally those of the last second)."""
    return int(await conn.fetchval("SELECT count(*) FROM access_audit WHERE seq IS NULL"))


async def latest_head(conn: asyncpg.Connection) -> SignedHead | None:
    """The last head the sealer exported into this database (the file copy is the one
    kept outside the database's reach)."""
    row = await conn.fetchrow(
        "SELECT current_database() AS database, seq, hash, exported_at, key_id, signature"
        " FROM audit_heads ORDER BY id DESC LIMIT 1"
    )
    if row is None:
        return None
    return SignedHead(**dict(row))


async def audited(
    pool: asyncpg.Pool,
    denial: AccessEntry,
    work: Callable[[asyncpg.Connection], Awaitable[T]],
) -> T:
    """Run ``work`` in one transaction; if it is refused, roll it back and leave one
    ``denial`` row in a transaction of its own (a denial must survive the rollback)."""
    from kasane.errors import DomainError

    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                return await work(conn)
        except DomainError:
            async with conn.transaction():
                await record_access(conn, denial)
            raise
