"""One suite for the shared intake read model (``kasane.intake_view``), run against the
database of every service that keeps it (as :mod:`tests.integration.handlers.base` runs one
suite on every service).

A case delivers intake events through the service's own dispatcher (so what is checked is
what the service registered) into the service's real, migrated database, and reads back
with the shared store. :meth:`IntakeViewSuite.test_migration_keeps_existing_rows` replays
the service's migrations on a scratch database: the rows written in the service's former
shape must read back the same through the shared model after its conversion migration.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any, ClassVar

import asyncpg
import pytest

from kasane.bus.dispatch import Dispatcher
from kasane.consent import Consent
from kasane.db.migrate import apply, migrations_for
from kasane.db.urls import database_url
from kasane.events import wrap
from kasane.events.envelope import EventContract
from kasane.events.intake import (
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ConsentRecorded,
    ConsentWithdrawn,
)
from kasane.events.registry import ParsedEvent
from kasane.intake_view import IntakeCase
from kasane.intake_view import store as intake_store
from kasane.intake_view.model import INDEXES, TABLES
from kasane.settings import Settings
from kasane_dev.local.postgres import ensure_database
from tests.conftest import ServiceStarter

MAY, JUNE, JULY = date(2025, 5, 1), date(2025, 6, 1), date(2025, 7, 1)
AUGUST, SEPTEMBER = date(2025, 8, 1), date(2025, 9, 1)


def recorded(case_id: uuid.UUID, consent_id: uuid.UUID, **changes: Any) -> ConsentRecorded:
    fields: dict[str, Any] = {
        "consent_id": consent_id,
        "case_id": case_id,
        "person_id": uuid.uuid4(),
        "scope_agencies": ["jiritsu"],
        "scope_programs": ["participation"],
        "scope_meeting_types": ["multilayer_meeting"],
        "method": "written",
        "consented_on": MAY,
        "expires_on": date(2026, 3, 31),
    }
    return ConsentRecorded(**(fields | changes))


class IntakeViewSuite:
    service: ClassVar[str]
    # The service's migration that converts its tables to the shared shape.
    conversion: ClassVar[int]
    # Rows as the service wrote them before the conversion ($1 case id, $2 consent id).
    legacy_rows: ClassVar[tuple[str, ...]]

    @pytest.fixture(autouse=True)
    async def _database(self, services: ServiceStarter, settings: Settings) -> AsyncIterator[None]:
        running = await services(self.service)
        self.settings = settings
        self.dispatch: Dispatcher = importlib.import_module(f"{self.service}.handlers").dispatch
        self.conn = await asyncpg.connect(running.dsn)
        try:
            yield
        finally:
            await self.conn.close()

    async def deliver(self, *events: EventContract) -> None:
        for event in events:
            env = wrap(event, producer="intake", municipality_code="402036", agency_id="jiritsu")
            async with self.conn.transaction():
                await self.dispatch(self.conn, ParsedEvent(env, event))

    async def consent(self, case_id: uuid.UUID, consent_id: uuid.UUID) -> Consent:
        (found,) = [
            c
            for c in await intake_store.consents_of_case(self.conn, case_id)
            if c.consent_id == consent_id
        ]
        return found

    # -- the shape -------------------------------------------------------------------------

    async def test_tables_have_the_shared_shape(self) -> None:
        for table, columns in TABLES.items():
            rows = await self.conn.fetch(
                "SELECT column_name, data_type, is_nullable = 'YES' AS nullable, column_default"
                " FROM information_schema.columns WHERE table_schema = 'public'"
                " AND table_name = $1",
                table,
            )
            found = {(r[0], r[1], r[2], r[3]) for r in rows}
            assert found == {(c.name, c.data_type, c.nullable, c.default) for c in columns}
        indexes = await self.conn.fetch(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('cases', 'consents')"
        )
        assert {r[0] for r in indexes} == INDEXES

    # -- cases -----------------------------------------------------------------------------

    async def test_case_opened_then_closed(self) -> None:
        case_id = uuid.uuid4()
        await self.deliver(CaseOpened(case_id=case_id, lead_agency_id="jiritsu", opened_on=MAY))
        assert await intake_store.opened_case(self.conn, case_id) == IntakeCase(
            case_id, "jiritsu", None, MAY
        )
        await self.deliver(CaseClosed(case_id=case_id, closed_on=JULY, reason_code="resolved"))
        closed = await intake_store.opened_case(self.conn, case_id)
        assert closed is not None and closed.closed_on == JULY and not closed.is_open
        assert await intake_store.lead_agencies(self.conn, [case_id]) == {case_id: "jiritsu"}

    async def test_closure_seen_before_opening_is_kept(self) -> None:
        case_id = uuid.uuid4()
        await self.deliver(CaseClosed(case_id=case_id, closed_on=JULY, reason_code="resolved"))
        # No lead yet: not a case anyone may act on.
        assert await intake_store.opened_case(self.conn, case_id) is None
        assert await intake_store.lead_agencies(self.conn, [case_id]) == {}
        await self.deliver(CaseOpened(case_id=case_id, lead_agency_id="jiritsu", opened_on=MAY))
        assert await intake_store.opened_case(self.conn, case_id) == IntakeCase(
            case_id, "jiritsu", JULY, MAY
        )

    # -- ケース再開 ------------------------------------------------------------------------

    def closed(self, case_id: uuid.UUID, on: date) -> CaseClosed:
        return CaseClosed(case_id=case_id, closed_on=on, reason_code="resolved")

    def reopened(self, case_id: uuid.UUID, on: date) -> CaseReopened:
        return CaseReopened(
            case_id=case_id,
            lead_agency_id="jiritsu",
            reopened_on=on,
            reason_code="same_issue_returned",
        )

    async def closed_on(self, case_id: uuid.UUID) -> date | None:
        case = await intake_store.opened_case(self.conn, case_id)
        assert case is not None
        return case.closed_on

    async def test_a_reopened_case_is_open_until_closed_again(self) -> None:
        case_id = uuid.uuid4()
        opened = CaseOpened(case_id=case_id, lead_agency_id="jiritsu", opened_on=MAY)
        await self.deliver(opened, self.closed(case_id, JULY), self.reopened(case_id, AUGUST))
        case = await intake_store.opened_case(self.conn, case_id)
        assert case == IntakeCase(case_id, "jiritsu", None, MAY) and case.is_open
        await self.deliver(self.closed(case_id, SEPTEMBER))
        assert await self.closed_on(case_id) == SEPTEMBER
        # A redelivered first closure (or reopening) does not turn the clock back.
        await self.deliver(self.closed(case_id, JULY), self.reopened(case_id, AUGUST))
        assert await self.closed_on(case_id) == SEPTEMBER

    async def test_a_reopening_seen_before_its_closure_converges_to_open(self) -> None:
        case_id = uuid.uuid4()
        await self.deliver(self.reopened(case_id, AUGUST))
        assert await intake_store.opened_case(self.conn, case_id) is None  # no lead yet
        await self.deliver(
            self.closed(case_id, JULY),
            CaseOpened(case_id=case_id, lead_agency_id="jiritsu", opened_on=MAY),
        )
        assert await self.closed_on(case_id) is None

    async def test_a_closure_undone_the_same_day_reads_as_open(self) -> None:
        case_id = uuid.uuid4()
        await self.deliver(
            CaseOpened(case_id=case_id, lead_agency_id="jiritsu", opened_on=MAY),
            self.reopened(case_id, JULY),
            self.closed(case_id, JULY),
        )
        assert await self.closed_on(case_id) is None

    # -- consents --------------------------------------------------------------------------

    async def test_consent_reads_back_with_its_three_scopes(self) -> None:
        case_id, consent_id = uuid.uuid4(), uuid.uuid4()
        await self.deliver(recorded(case_id, consent_id))
        assert await self.consent(case_id, consent_id) == Consent(
            consent_id=consent_id,
            case_id=case_id,
            scope_agencies=frozenset({"jiritsu"}),
            scope_programs=frozenset({"participation"}),
            scope_meeting_types=frozenset({"multilayer_meeting"}),
            consented_on=MAY,
            expires_on=date(2026, 3, 31),
        )
        found = await intake_store.consents_of_cases(self.conn, [case_id, uuid.uuid4()])
        assert [c.consent_id for c in found[case_id]] == [consent_id]

    async def test_withdrawal_seen_first_holds_when_the_record_arrives(self) -> None:
        case_id, consent_id = uuid.uuid4(), uuid.uuid4()
        await self.deliver(
            ConsentWithdrawn(consent_id=consent_id, case_id=case_id, withdrawn_on=JUNE)
        )
        stub = await self.consent(case_id, consent_id)
        assert not stub.valid_on(MAY) and not stub.valid_on(JULY)
        await self.deliver(recorded(case_id, consent_id))
        consent = await self.consent(case_id, consent_id)
        assert consent.withdrawn_on == JUNE
        assert consent.covers_agency("jiritsu", MAY) and not consent.covers_agency("jiritsu", JUNE)

    async def test_the_earlier_withdrawal_holds(self) -> None:
        case_id, consent_id = uuid.uuid4(), uuid.uuid4()
        await self.deliver(
            recorded(case_id, consent_id),
            ConsentWithdrawn(consent_id=consent_id, case_id=case_id, withdrawn_on=JUNE),
            ConsentWithdrawn(consent_id=consent_id, case_id=case_id, withdrawn_on=JULY),
        )
        assert (await self.consent(case_id, consent_id)).withdrawn_on == JUNE

    # -- the conversion --------------------------------------------------------------------

    async def test_migration_keeps_existing_rows(self) -> None:
        name = f"intake_view_{self.service}_{uuid.uuid4().hex[:8]}"
        await ensure_database(self.settings.database_url, name)
        try:
            conn = await asyncpg.connect(database_url(self.settings.database_url, name))
            try:
                await self._convert(conn)
            finally:
                await conn.close()
        finally:
            admin = await asyncpg.connect(self.settings.database_url)
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            finally:
                await admin.close()

    async def _convert(self, conn: asyncpg.Connection) -> None:
        ours = migrations_for(self.service)
        await apply(conn, "kasane", migrations_for("kasane"))
        await apply(conn, self.service, [m for m in ours if m.version < self.conversion])
        case_id, consent_id = uuid.uuid4(), uuid.uuid4()
        for sql in self.legacy_rows:
            await conn.execute(sql, *((case_id, consent_id) if "$2" in sql else (case_id,)))
        await apply(conn, self.service, ours)
        assert await intake_store.opened_case(conn, case_id) == IntakeCase(
            case_id, "jiritsu", None, MAY
        )
        (consent,) = await intake_store.consents_of_case(conn, case_id)
        assert consent.consent_id == consent_id
        assert consent.scope_agencies == {"jiritsu"} and consent.scope_programs == {"outreach"}
        assert consent.covers_agency("jiritsu", JUNE) and not consent.valid_on(JULY)
