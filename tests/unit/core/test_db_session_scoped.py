"""Which statements may leave session state on a pooled connection (kasane.db.session)."""

from __future__ import annotations

import pytest

from kasane.bus.outbox import _ENQUEUE, _ENQUEUE_MANY
from kasane.db.session import session_scoped


@pytest.mark.parametrize(
    "query",
    [
        "SELECT pg_advisory_lock($1)",
        "SELECT pg_try_advisory_lock($1)",
        "select pg_advisory_lock_shared(1)",
        "SELECT pg_try_advisory_lock_shared (1, 2)",
        "LISTEN kasane_outbox",
        "SET statement_timeout = '1s'",
        "set search_path = s, public",
        "SET SESSION work_mem = '64MB'",
        "SELECT 1; SET lock_timeout = 0",
        "SELECT set_config('application_name', 'x', false)",
        "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
    ],
)
def test_session_scoped_statements_are_noticed(query: str) -> None:
    assert session_scoped(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT pg_advisory_xact_lock($1)",
        "SET LOCAL synchronous_commit = off",
        "UPDATE cases SET issue_codes = $2 WHERE id = $1",
        "INSERT INTO outbox (event_id) VALUES ($1)",
        "SELECT * FROM consultations WHERE case_id = $1",
        _ENQUEUE,
        _ENQUEUE_MANY,
    ],
)
def test_transaction_scoped_statements_need_no_reset(query: str) -> None:
    assert not session_scoped(query)
