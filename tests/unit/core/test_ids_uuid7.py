"""kasane.ids.uuid7: RFC 9562 version/variant bits and time ordering."""

from __future__ import annotations

import itertools
import time
import uuid

from kasane.ids import uuid7


def _unix_ms(value: uuid.UUID) -> int:
    return value.int >> 80


def test_version_and_variant_bits() -> None:
    for _ in range(200):
        value = uuid7()
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
        assert (value.int >> 76) & 0xF == 0x7
        assert (value.int >> 62) & 0b11 == 0b10
        # The canonical text form shows the version digit and a variant nibble of 8..b.
        text = str(value)
        assert text[14] == "7"
        assert text[19] in "89ab"


def test_timestamp_is_the_creation_time_in_unix_ms() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert before <= _unix_ms(value) <= after


def test_ids_are_unique() -> None:
    ids = {uuid7() for _ in range(10_000)}
    assert len(ids) == 10_000


def test_random_bits_vary() -> None:
    # Within one millisecond the ids differ in their random part, not only in the clock.
    rand_parts = {uuid7().int & ((1 << 74) - 1) for _ in range(100)}
    assert len(rand_parts) == 100


def test_ids_spaced_by_more_than_a_millisecond_sort_by_creation() -> None:
    ids = []
    for _ in range(20):
        ids.append(uuid7())
        time.sleep(0.0015)
    assert ids == sorted(ids)
    assert [str(i) for i in ids] == sorted(str(i) for i in ids)  # text order agrees
    stamps = [_unix_ms(i) for i in ids]
    assert all(a < b for a, b in itertools.pairwise(stamps))


def test_ids_of_one_process_strictly_increase_even_within_a_millisecond() -> None:
    ids = [uuid7() for _ in range(5000)]  # thousands per millisecond on any machine
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
