"""POST /consultations writes its rows, audit row and events in one statement
(kasane.db.statement): all or nothing, one round trip for a new case, events in commit
order per case, and every consultation's audit row in a chain that verifies.

Each test runs its own intake app on the session's intake database, so replacing its pool
touches no other test."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import pytest

from intake.api import ROUTERS
from kasane.audit import pending_count, read_chain, verify_chain
from kasane.events.envelope import Envelope
from kasane.settings import Settings
from kasane.web.admission import bounded_pool
from kasane.web.app import ServiceSpec, create_app
from kasane_dev.testing.services import RunningService, in_process
from tests.integration.helpers import eventually
from tests.integration.intake.intake_steps import consultation

pytestmark = pytest.mark.integration

Auth = Callable[..., dict[str, str]]
TABLES = ("cases", "consultations", "access_audit", "outbox")


@pytest.fixture
async def own_intake(settings: Settings) -> AsyncIterator[RunningService]:
    app = create_app(ServiceSpec(name="intake", title="intake (writes test)", routers=ROUTERS))
    async with in_process("intake", app, settings) as running:
        running.client.timeout = 30
        yield running


def _state(svc: RunningService) -> Any:
    return svc.client._transport.app.state  # type: ignore[attr-defined]


async def _counts(dsn: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        return {t: int(await conn.fetchval(f"SELECT count(*) FROM {t}")) for t in TABLES}
    finally:
        await conn.close()


async def test_a_new_case_consultation_is_one_statement(
    own_intake: RunningService, auth: Auth, settings: Settings
) -> None:
    """No BEGIN, COMMIT or reset query: the case, consultation, audit row and events are
    one statement, a transaction of its own."""
    state = _state(own_intake)
    real = state.pool
    pool = await bounded_pool(own_intake.dsn, settings.model_copy(update={"db_pool_max_size": 1}))
    sent: list[str] = []
    async with pool.acquire() as conn:
        conn.add_query_logger(lambda logged: sent.append(logged.query))
    state.pool = pool
    headers = auth("jiritsu", "counselor")
    try:
        # The connection's first use of the statement also looks up its array types.
        warm_up = await own_intake.client.post(
            "/consultations", json=consultation(), headers=headers
        )
        assert warm_up.status_code == 201, warm_up.text
        sent.clear()
        response = await own_intake.client.post(
            "/consultations", json=consultation(), headers=headers
        )
    finally:
        state.pool = real
        await pool.close()
    assert response.status_code == 201, response.text
    assert len(sent) == 1, sent
    for table in TABLES:
        assert f"INSERT INTO {table}" in sent[0]

    conn = await asyncpg.connect(own_intake.dsn)
    try:
        case_id = uuid.UUID(response.json()["case_id"])
        case = await conn.fetchrow("SELECT * FROM cases WHERE id = $1", case_id)
        events = await conn.fetch(
            "SELECT value FROM outbox WHERE key = $1 ORDER BY id", str(case_id)
        )
    finally:
        await conn.close()
    assert case is not None
    # Classified from the start, as the separate UPDATE used to leave it.
    assert case["issue_codes"] == ["elderly_care", "hikikomori"]
    assert case["status"] == "open"
    assert [Envelope.from_bytes(bytes(r["value"])).event_type for r in events] == [
        "intake.CaseOpened",
        "intake.ConsultationReceived",
        "intake.CaseClassified",
    ]


Fault = Callable[[str], Any]


async def test_a_consultation_on_a_named_case_audits_the_access_with_the_change(
    own_intake: RunningService, auth: Auth
) -> None:
    """BEGIN, the case locked FOR UPDATE (the owner's access needs no grants or consents),
    one statement for the access row, the creator's row, the classification, the
    consultation and the events, COMMIT: four round trips, no reset."""
    headers = auth("jiritsu", "counselor")
    opened = await own_intake.client.post("/consultations", json=consultation(), headers=headers)
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]
    # The connections' first use of the statements also looks up their array types.
    for _ in range(3):
        warm_up = await own_intake.client.post(
            "/consultations", json=consultation(case_id=case_id), headers=headers
        )
        assert warm_up.status_code == 201, warm_up.text
    sent: list[str] = []
    pool = _state(own_intake).pool
    loggers = []
    for holder in pool._holders:  # every connection the request might get
        if holder._con is not None:
            holder._con.add_query_logger(lambda logged: sent.append(logged.query))
            loggers.append(holder._con)
    try:
        response = await own_intake.client.post(
            "/consultations",
            json=consultation(case_id=case_id, issue_codes=["poverty"]),
            headers=headers,
        )
    finally:
        for con in loggers:
            con._query_loggers.clear()
    assert response.status_code == 201, response.text
    assert len(sent) == 4, sent
    begin, lock, write, commit = sent
    assert (begin.strip(" ;"), commit.strip(" ;")) == ("BEGIN", "COMMIT")
    assert "FOR UPDATE" in lock
    assert write.count("INSERT INTO access_audit") == 2
    assert "UPDATE cases" in write
    assert "INSERT INTO consultations" in write
    assert "INSERT INTO outbox" in write

    conn = await asyncpg.connect(own_intake.dsn)
    try:
        rows = await conn.fetch(
            "SELECT record_type, record_id, action, outcome, legal_basis FROM access_audit"
            " WHERE subject_id = $1 ORDER BY id",
            case_id,
        )
    finally:
        await conn.close()
    consultation_id = response.json()["consultation_id"]
    # One statement: the two rows share a transaction; their ids' order carries nothing.
    assert sorted(tuple(r) for r in rows[-2:]) == [
        ("case", case_id, "update", "allowed", "owner"),
        ("consultation", consultation_id, "create", "allowed", "owner"),
    ]


@pytest.fixture
async def fault(own_intake: RunningService) -> AsyncIterator[Fault]:
    """``await fault(table)``: a trigger failing the inserts into ``table`` (consultations or
    access_audit) that carry this test's marker (in the narrative or the audit purpose), as
    a constraint or a lost connection would fail that part of the statement; returns the
    marker. The triggers are dropped after the test."""
    marker = f"fault_{uuid.uuid4().hex[:12]}"
    column = {"consultations": "narrative", "access_audit": "purpose"}
    conn = await asyncpg.connect(own_intake.dsn)
    installed: list[str] = []

    async def install(table: str) -> str:
        name = f"{marker}_{table}"
        await conn.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN IF NEW.{column[table]} = '{marker}' THEN"
            " RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$"
        )
        installed.append(table)
        await conn.execute(
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
        return marker

    try:
        yield install
    finally:
        try:
            for table in installed:
                await conn.execute(f"DROP TRIGGER IF EXISTS {marker}_{table} ON {table}")
                await conn.execute(f"DROP FUNCTION IF EXISTS {marker}_{table}()")
        finally:
            await conn.close()


async def _failing_post(svc: RunningService, headers: dict[str, str], **body: Any) -> None:
    """The request fails on the database (a 500, or the in-process client re-raising it)."""
    try:
        response = await svc.client.post(
            "/consultations", json=consultation(**body), headers=headers
        )
    except asyncpg.RaiseError:
        return
    assert response.status_code == 500, response.text


@pytest.mark.parametrize("table", ["consultations", "access_audit"])
async def test_a_failing_part_of_a_new_case_writes_nothing(
    own_intake: RunningService, auth: Auth, fault: Fault, table: str
) -> None:
    """No case without its consultation, no audit row or event without the write."""
    marker = await fault(table)
    headers = auth("jiritsu", "counselor")
    before = await _counts(own_intake.dsn)
    if table == "consultations":
        await _failing_post(own_intake, headers, narrative=marker)
    else:
        await _failing_post(own_intake, {**headers, "X-Kasane-Purpose": marker})
    assert await _counts(own_intake.dsn) == before


@pytest.mark.parametrize("table", ["consultations", "access_audit"])
async def test_a_failing_part_on_an_existing_case_writes_nothing(
    own_intake: RunningService, auth: Auth, fault: Fault, table: str
) -> None:
    """On a named case (a transaction: lock, access check, its audit row, then the one
    statement): the classification, the consultation, both audit rows and the events roll
    back together."""
    headers = auth("jiritsu", "counselor")
    opened = await own_intake.client.post("/consultations", json=consultation(), headers=headers)
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]
    marker = await fault(table)
    before = await _counts(own_intake.dsn)
    more = {"case_id": case_id, "issue_codes": ["poverty"]}
    if table == "consultations":
        await _failing_post(own_intake, headers, narrative=marker, **more)
    else:
        await _failing_post(own_intake, {**headers, "X-Kasane-Purpose": marker}, **more)
    assert await _counts(own_intake.dsn) == before
    conn = await asyncpg.connect(own_intake.dsn)
    try:
        codes = await conn.fetchval(
            "SELECT issue_codes FROM cases WHERE id = $1", uuid.UUID(case_id)
        )
    finally:
        await conn.close()
    assert codes == ["elderly_care", "hikikomori"], "the classification rolled back too"


NEW_CODES = ["poverty", "debt", "housing", "employment", "isolation", "mental_health"]


async def test_concurrent_consultations_on_one_case_keep_its_events_in_commit_order(
    own_intake: RunningService, auth: Auth
) -> None:
    """Each consultation adds an issue code: in outbox order (what the relay publishes, one
    partition per case) every CaseClassified extends the one before, and the last is the
    case's classification as committed."""
    headers = auth("jiritsu", "counselor")
    opened = await own_intake.client.post("/consultations", json=consultation(), headers=headers)
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]
    responses = await asyncio.gather(
        *(
            own_intake.client.post(
                "/consultations",
                json=consultation(case_id=case_id, issue_codes=[code]),
                headers=headers,
            )
            for code in NEW_CODES
        )
    )
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]

    conn = await asyncpg.connect(own_intake.dsn)
    try:
        rows = await conn.fetch("SELECT value FROM outbox WHERE key = $1 ORDER BY id", case_id)
        final = await conn.fetchval(
            "SELECT issue_codes FROM cases WHERE id = $1", uuid.UUID(case_id)
        )
    finally:
        await conn.close()
    events = [Envelope.from_bytes(bytes(r["value"])) for r in rows]
    types = [e.event_type for e in events]
    assert types == [
        "intake.CaseOpened",
        *["intake.ConsultationReceived", "intake.CaseClassified"] * (1 + len(NEW_CODES)),
    ]
    classifications = [
        e.payload["issue_codes"] for e in events if e.event_type == "intake.CaseClassified"
    ]
    for earlier, later in itertools.pairwise(classifications):
        assert later[: len(earlier)] == earlier and len(later) == len(earlier) + 1
    assert classifications[-1] == final
    assert sorted(final[2:]) == sorted(NEW_CODES)


async def test_every_consultation_has_its_audit_row_in_a_chain_that_verifies(
    own_intake: RunningService, auth: Auth
) -> None:
    headers = auth("jiritsu", "counselor")
    responses = await asyncio.gather(
        *(
            own_intake.client.post("/consultations", json=consultation(), headers=headers)
            for _ in range(8)
        )
    )
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    created = {r.json()["consultation_id"]: r.json()["case_id"] for r in responses}

    conn = await asyncpg.connect(own_intake.dsn)
    try:
        await eventually(lambda: pending_count(conn), lambda n: n == 0, timeout_s=20)
        chain = await read_chain(conn)
    finally:
        await conn.close()
    assert verify_chain(chain) is None
    rows = [r for r in chain if r["record_id"] in created]
    assert sorted(r["record_id"] for r in rows) == sorted(created)
    for row in rows:
        assert row["record_type"] == "consultation"
        assert row["subject_id"] == created[row["record_id"]]
        assert (row["action"], row["outcome"], row["legal_basis"]) == ("create", "allowed", "owner")
        assert row["actor_agency"] == "jiritsu"
