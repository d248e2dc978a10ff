"""kasane.audit chain rule (pure parts): chain_hash and verify_chain."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from kasane.audit import _FIELDS, GENESIS, AccessEntry, chain_hash, verify_chain
from kasane.auth.principal import Principal

JST = timezone(timedelta(hours=9))


def _row(seq: int, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "seq": seq,
        "at": datetime(2026, 4, 1, 9, 0, tzinfo=UTC) + timedelta(seconds=seq),
        "actor_sub": f"staff-{seq % 3}",
        "actor_agency": "jiritsu",
        "record_type": "consultation",
        "record_id": f"rec-{seq}",
        "subject_id": f"person-{seq % 2}",
        "action": "read",
        "purpose": "相談受付",
        "legal_basis": "owner",
        "outcome": "allowed",
    }
    row.update(overrides)
    return row


def _chain(n: int) -> list[dict[str, Any]]:
    rows = []
    prev = GENESIS
    for seq in range(1, n + 1):
        row = _row(seq)
        row["prev_hash"] = prev
        row["hash"] = chain_hash(prev, row)
        prev = row["hash"]
        rows.append(row)
    return rows


# A different value per field, same type as the original.
_CHANGED: dict[str, Any] = {
    "seq": 99,
    "at": datetime(2026, 4, 1, 9, 0, 0, 1, tzinfo=UTC),
    "actor_sub": "staff-other",
    "actor_agency": "other-agency",
    "record_type": "person",
    "record_id": "rec-other",
    "subject_id": None,
    "action": "update",
    "purpose": "支援会議",
    "legal_basis": None,
    "outcome": "denied",
}


def test_every_hashed_field_has_a_variation() -> None:
    assert set(_CHANGED) == set(_FIELDS)


def test_chain_hash_is_deterministic() -> None:
    row = _row(1)
    first = chain_hash(GENESIS, row)
    assert first == chain_hash(GENESIS, dict(row))
    assert first == chain_hash(GENESIS, dict(reversed(list(row.items()))))  # key order
    assert len(first) == 64
    int(first, 16)  # hex


def test_chain_hash_ignores_columns_outside_the_chain_rule() -> None:
    row = _row(1)
    assert chain_hash(GENESIS, row) == chain_hash(
        GENESIS, {**row, "prev_hash": "x", "hash": "y", "extra": 1}
    )


@pytest.mark.parametrize("field", _FIELDS)
def test_chain_hash_is_sensitive_to_every_field(field: str) -> None:
    row = _row(1)
    assert row[field] != _CHANGED[field]
    assert chain_hash(GENESIS, row) != chain_hash(GENESIS, {**row, field: _CHANGED[field]})


def test_chain_hash_is_sensitive_to_the_previous_hash() -> None:
    row = _row(1)
    assert chain_hash(GENESIS, row) != chain_hash("1" * 64, row)


def test_chain_hash_treats_an_instant_the_same_in_any_time_zone() -> None:
    row = _row(1)
    same_instant = row["at"].astimezone(JST)
    assert chain_hash(GENESIS, row) == chain_hash(GENESIS, {**row, "at": same_instant})


def test_intact_chain_verifies() -> None:
    assert verify_chain(_chain(10)) is None


def test_empty_chain_verifies() -> None:
    assert verify_chain([]) is None


def test_chain_starts_at_genesis() -> None:
    rows = _chain(3)
    assert rows[0]["prev_hash"] == GENESIS
    # A chain whose first row points anywhere else is broken at that row.
    rows[0]["prev_hash"] = "f" * 64
    rows[0]["hash"] = chain_hash(rows[0]["prev_hash"], rows[0])
    assert verify_chain(rows) == 1


@pytest.mark.parametrize("field", _FIELDS)
@pytest.mark.parametrize("position", [0, 4, 9])
def test_tampered_field_is_found(field: str, position: int) -> None:
    rows = _chain(10)
    rows[position][field] = _CHANGED[field]
    # The reported seq is the one stored on the tampered row (itself tampered for "seq").
    assert verify_chain(rows) == rows[position]["seq"]


@pytest.mark.parametrize("position", [0, 4, 9])
def test_tampered_hash_is_found(position: int) -> None:
    rows = _chain(10)
    rows[position]["hash"] = chain_hash(GENESIS, _row(500))
    assert verify_chain(rows) == rows[position]["seq"]


def test_rewritten_row_with_recomputed_hash_breaks_the_next_row() -> None:
    rows = _chain(10)
    rows[3]["outcome"] = "denied"
    rows[3]["hash"] = chain_hash(rows[3]["prev_hash"], rows[3])
    assert verify_chain(rows) == rows[4]["seq"]


def test_reordered_rows_are_found() -> None:
    rows = _chain(10)
    rows[5], rows[6] = rows[6], rows[5]
    assert verify_chain(rows) == rows[5]["seq"]  # the row now in position 5 (seq 7)
    assert rows[5]["seq"] == 7


@pytest.mark.parametrize("deleted", [0, 3, 8])
def test_deleted_row_is_found_at_its_successor(deleted: int) -> None:
    rows = _chain(10)
    successor_seq = rows[deleted + 1]["seq"]
    del rows[deleted]
    assert verify_chain(rows) == successor_seq


def test_inserted_row_is_found() -> None:
    rows = _chain(10)
    forged = _row(5, record_id="forged")
    forged["prev_hash"] = rows[3]["hash"]
    forged["hash"] = chain_hash(forged["prev_hash"], forged)
    rows.insert(4, forged)
    # The forged row itself links correctly; its successor (the real seq 5) does not.
    assert verify_chain(rows) == 5
    assert verify_chain(rows[:5]) is None


def test_access_entry_by_principal_takes_the_actor_from_the_token() -> None:
    principal = Principal(sub="staff-1", agency="jiritsu", roles=frozenset({"counselor"}))
    entry = AccessEntry.by(
        principal,
        record_type="consultation",
        record_id="r1",
        action="read",
        purpose="相談受付",
        outcome="allowed",
    )
    data = asdict(entry)
    assert data["actor_sub"] == principal.sub
    assert data["actor_agency"] == principal.agency
    assert data["legal_basis"] is None
    assert data["subject_id"] is None
