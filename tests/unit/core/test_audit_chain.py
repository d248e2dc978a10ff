"""kasane.audit chain rule (pure parts): chain_hash, content_hash, link, verify_chain, and
the signed exported head."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit import (
    _CONTENT,
    _FIELDS,
    EMPTY_HEAD,
    GENESIS,
    AccessEntry,
    ChainHead,
    SignedHead,
    chain_hash,
    check_against_head,
    content_hash,
    head_signature_valid,
    link,
    sign_head,
    verify_chain,
)
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


# --- Sealing: content hash and link -------------------------------------------------------


def _unsealed(n: int, start: int = 1) -> list[dict[str, Any]]:
    rows = []
    for i in range(start, start + n):
        row = _row(i)
        del row["seq"]
        row["id"] = 100 + i
        row["content_hash"] = content_hash(row)
        rows.append(row)
    return rows


def _apply(rows: list[dict[str, Any]], head: ChainHead = EMPTY_HEAD) -> list[dict[str, Any]]:
    sealed = {s.id: s for s in link(head, rows)}
    return [
        {
            **r,
            "seq": sealed[r["id"]].seq,
            "prev_hash": sealed[r["id"]].prev_hash,
            "hash": sealed[r["id"]].hash,
        }
        for r in rows
    ]


def test_content_hash_covers_the_content_but_not_the_chain_position() -> None:
    row = _row(1)
    assert content_hash(row) == content_hash({**row, "seq": 2, "prev_hash": "x", "hash": "y"})
    for field in _CONTENT:
        assert content_hash(row) != content_hash({**row, field: _CHANGED[field]})


def test_link_numbers_rows_in_the_given_order_from_the_head() -> None:
    rows = _unsealed(3)
    sealed = link(ChainHead(41, "a" * 64), rows)
    assert [(s.id, s.seq) for s in sealed] == [(101, 42), (102, 43), (103, 44)]
    assert sealed[0].prev_hash == "a" * 64
    assert sealed[1].prev_hash == sealed[0].hash
    assert sealed[0].hash == chain_hash("a" * 64, {**rows[0], "seq": 42})


def test_link_of_nothing_is_nothing() -> None:
    assert link(EMPTY_HEAD, []) == []


def test_sealing_in_passes_gives_the_same_chain_as_sealing_at_once() -> None:
    rows = _unsealed(6)
    at_once = _apply(rows)
    first = _apply(rows[:4])
    second = _apply(rows[4:], ChainHead(first[-1]["seq"], first[-1]["hash"]))
    assert first + second == at_once
    assert verify_chain(at_once) is None


def test_a_sealed_row_whose_content_changed_is_found_by_its_content_hash() -> None:
    rows = _apply(_unsealed(4))
    # Content changed before sealing: the chain hash agrees, the content hash does not.
    rows[2]["content_hash"] = content_hash({**rows[2], "outcome": "allowed-before"})
    assert verify_chain(rows) == 3


def test_rows_without_a_content_hash_are_checked_by_the_chain_alone() -> None:
    rows = _chain(3)  # as migrated from before the sealer: no content_hash
    assert "content_hash" not in rows[0]
    assert verify_chain(rows) is None
    assert verify_chain([{**r, "content_hash": None} for r in rows]) is None


def test_a_gap_in_positions_is_found() -> None:
    rows = _apply(_unsealed(3))
    rows[2] = {**rows[2], "seq": 4}
    rows[2]["hash"] = chain_hash(rows[2]["prev_hash"], rows[2])
    assert verify_chain(rows) == 4


# --- Exported heads ------------------------------------------------------------------------

_KEY = Ed25519PrivateKey.generate()
_AT = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def test_a_signed_head_verifies_with_its_key_only() -> None:
    head = sign_head(_KEY, "intake", ChainHead(10, "b" * 64), _AT)
    assert head_signature_valid(head, _KEY.public_key())
    assert not head_signature_valid(head, Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 9},
        {"hash": "c" * 64},
        {"database": "referral"},
        {"exported_at": datetime(2026, 4, 1, 9, 0, 1, tzinfo=UTC)},
        {"signature": "AAAA"},
        {"signature": "not base64!"},
    ],
)
def test_a_changed_head_fails_its_signature(change: dict[str, Any]) -> None:
    head = sign_head(_KEY, "intake", ChainHead(10, "b" * 64), _AT)
    changed = SignedHead(**{**head.to_json(), "exported_at": head.exported_at, **change})
    assert not head_signature_valid(changed, _KEY.public_key())


def test_a_head_survives_its_json_form() -> None:
    head = sign_head(_KEY, "intake", ChainHead(10, "b" * 64), _AT.astimezone(JST))
    again = SignedHead.from_json(head.to_json())
    assert again == head
    assert head_signature_valid(again, _KEY.public_key())


def _head_of(rows: list[dict[str, Any]], at: int) -> SignedHead:
    return sign_head(_KEY, "intake", ChainHead(rows[at - 1]["seq"], rows[at - 1]["hash"]), _AT)


def test_the_chain_still_holding_the_exported_head_passes() -> None:
    rows = _chain(8)
    assert check_against_head(rows, _head_of(rows, 8)) is None
    assert check_against_head(rows, _head_of(rows, 5)) is None  # and grew since
    assert check_against_head([], sign_head(_KEY, "intake", EMPTY_HEAD, _AT)) is None


@pytest.mark.parametrize("kept", [0, 3, 7])
def test_a_removed_tail_is_found_by_the_exported_head(kept: int) -> None:
    rows = _chain(8)
    head = _head_of(rows, 8)
    assert verify_chain(rows[:kept]) is None  # the chain alone cannot tell
    problem = check_against_head(rows[:kept], head)
    assert problem is not None
    assert f"chain ends at {kept}" in problem and "末尾が削除" in problem


def test_a_rebuilt_tail_is_found_by_the_exported_head() -> None:
    rows = _chain(8)
    head = _head_of(rows, 8)
    rebuilt = rows[:6] + _apply(_unsealed(2, start=50), ChainHead(6, rows[5]["hash"]))
    assert verify_chain(rebuilt) is None
    problem = check_against_head(rebuilt, head)
    assert problem is not None and "seq 8" in problem
