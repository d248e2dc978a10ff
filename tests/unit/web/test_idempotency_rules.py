"""The pure rules of kasane.web.idempotency and kasane.web.admission."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from kasane.web.admission import is_outage
from kasane.web.idempotency import Action, InvalidKey, Stored, decide, fingerprint, parse_key

NOW = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)
TTL, LEASE = timedelta(hours=24), timedelta(seconds=60)


def stored(print_: str = "a", *, age_s: float = 5, locked_s: float | None = 5,
           status: int | None = None) -> Stored:  # fmt: skip
    locked = NOW - timedelta(seconds=locked_s) if locked_s is not None else None
    return Stored(print_, NOW - timedelta(seconds=age_s), locked, status)


def test_new_key_runs() -> None:
    assert decide(None, "a", NOW, TTL, LEASE) is Action.RUN


def test_same_request_finished_replays() -> None:
    assert decide(stored(status=201, locked_s=None), "a", NOW, TTL, LEASE) is Action.REPLAY


def test_other_request_is_a_mismatch_even_while_running() -> None:
    assert decide(stored("b"), "a", NOW, TTL, LEASE) is Action.MISMATCH
    assert decide(stored("b", status=201), "a", NOW, TTL, LEASE) is Action.MISMATCH


def test_running_within_lease_is_in_progress() -> None:
    assert decide(stored(locked_s=59), "a", NOW, TTL, LEASE) is Action.IN_PROGRESS


def test_running_past_lease_runs_again() -> None:
    assert decide(stored(locked_s=61), "a", NOW, TTL, LEASE) is Action.RUN


def test_expired_key_starts_afresh_whatever_it_held() -> None:
    day = 24 * 3600
    assert decide(stored("b", age_s=day, status=201), "a", NOW, TTL, LEASE) is Action.RUN
    assert decide(stored("b", age_s=day - 1), "a", NOW, TTL, LEASE) is Action.MISMATCH


def test_key_forms() -> None:
    assert parse_key('"8e03978e-40d5-43e8-bc93-6894a57f9324"') == (
        "8e03978e-40d5-43e8-bc93-6894a57f9324"
    )
    assert parse_key(" abc ") == "abc"
    for bad in ("", '""', "x" * 256, "鍵", "a\\b", 'a"b', "a\tb"):
        with pytest.raises(InvalidKey):
            parse_key(bad)


def test_fingerprint_compares_json_by_content() -> None:
    a = fingerprint("POST", "/cases", b"", b'{"a": 1, "b": [1, 2]}')
    assert a == fingerprint("POST", "/cases", b"", b'{"b":[1,2],"a":1}')
    assert a != fingerprint("POST", "/cases", b"", b'{"a": 2, "b": [1, 2]}')
    assert a != fingerprint("POST", "/persons", b"", b'{"a": 1, "b": [1, 2]}')
    assert a != fingerprint("PATCH", "/cases", b"", b'{"a": 1, "b": [1, 2]}')
    assert a != fingerprint("POST", "/cases", b"x=1", b'{"a": 1, "b": [1, 2]}')
    assert fingerprint("POST", "/s", b"", b"q,1\n") != fingerprint("POST", "/s", b"", b"q,2\n")


def test_outage_classes() -> None:
    assert is_outage(ConnectionRefusedError())
    assert is_outage(TimeoutError())
    assert is_outage(asyncpg.exceptions.ConnectionDoesNotExistError("gone"))
    assert is_outage(asyncpg.exceptions.AdminShutdownError("terminating"))
    assert is_outage(asyncpg.exceptions.TooManyConnectionsError("too many"))
    assert not is_outage(ValueError("bug"))
    assert not is_outage(asyncpg.exceptions.UniqueViolationError("dup"))


def test_outage_found_in_the_chain() -> None:
    try:
        try:
            raise asyncpg.exceptions.ConnectionDoesNotExistError("closed")
        except Exception:
            raise asyncpg.exceptions.InterfaceError("cannot call __aexit__()")  # noqa: B904
    except Exception as exc:
        chained = exc
    assert is_outage(chained)
    assert not is_outage(asyncpg.exceptions.InterfaceError("misuse"))
