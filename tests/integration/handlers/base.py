"""One suite for event handlers, run twice: directly and through the real broker.

Each case is written once against three abstract steps (as FastStream's ``tests/brokers/base``
runs one set of cases on an in-memory broker and a real one):

- :meth:`HandlerSuite.deliver` puts one record (signed bytes, as its producer would) in front
  of the service's consumer;
- :meth:`HandlerSuite.dead_lettered` returns the values dead-lettered under a key;
- the effects are read from the service's real database (:meth:`HandlerSuite.fetch`).

The direct subclass (``test_handlers_direct.py``) hands a :class:`kasane.bus.inbox.Delivery`
to an ``EventConsumer`` built from the service's own dispatcher; the broker subclass
(``test_handlers_broker.py``) produces onto the real topic and lets the running service's
subscriber handle it. Both must show the same outcomes: the effect applied once, a duplicate
delivery changing nothing, poison dead-lettered.
"""

from __future__ import annotations

import abc
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from kasane.events import wrap
from kasane.events.envelope import Envelope, EventContract
from kasane.events.meetings import CaseDiscussed
from kasane.events.referral import ReferralRequested, ReferralRevoked
from kasane.settings import Settings
from tests.integration.helpers import eventually

MUNICIPALITY = "402036"


def envelope(contract: EventContract, producer: str) -> Envelope:
    return wrap(contract, producer=producer, municipality_code=MUNICIPALITY, agency_id="shakyo")


def case_discussed(case_id: uuid.UUID, *members: str) -> CaseDiscussed:
    today = datetime.now(UTC).date()
    return CaseDiscussed(
        meeting_id=uuid.uuid4(),
        agenda_item_id=uuid.uuid4(),
        case_id=case_id,
        meeting_type="support_meeting",
        kind="information_sharing",
        legal_basis="support_meeting",
        discussed_on=today - timedelta(days=1),
        decision_id=uuid.uuid4(),
        outcome="share",
        member_agency_ids=list(members),
        access_until=today + timedelta(days=30),
    )


def referral_requested(case_id: uuid.UUID, to_agency: str) -> ReferralRequested:
    return ReferralRequested(
        referral_id=uuid.uuid4(),
        case_id=case_id,
        from_agency_id="houkatsu-06",
        to_agency_id=to_agency,
        reason_codes=["elderly_care"],
        legal_basis="consent",
        consent_id=uuid.uuid4(),
        requested_at=datetime.now(UTC),
        due_on=date.today() + timedelta(days=14),
    )


class HandlerSuite(abc.ABC):
    """intake's access-grant handlers, whatever carries the event to them."""

    service = "intake"
    settings: Settings
    dsn: str

    @abc.abstractmethod
    async def deliver(
        self, topic: str, key: bytes | None, value: bytes, *, signed: bool = True
    ) -> None:
        """Put one record on ``topic`` (the service's name, e.g. "meetings") before the consumer."""

    @abc.abstractmethod
    async def dead_lettered(self, key: bytes) -> list[bytes]:
        """The values dead-lettered so far by the service's consumer under ``key``."""

    async def publish(self, env: Envelope, case_id: uuid.UUID) -> None:
        # Keyed by case: one partition, so the broker keeps the order the case needs.
        await self.deliver(env.producer, str(case_id).encode(), env.to_bytes())

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self.dsn)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    async def grants(self, case_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.fetch(
            "SELECT agency_id, source, source_id, event_id, revoked_at, end_reason"
            " FROM access_grants WHERE case_id = $1 ORDER BY agency_id",
            case_id,
        )

    async def inbox_rows(self, event_id: uuid.UUID) -> int:
        rows = await self.fetch(
            "SELECT count(*) AS n FROM inbox WHERE consumer = $1 AND event_id = $2",
            self.service,
            event_id,
        )
        return int(rows[0]["n"])

    async def settled(self, case_id: uuid.UUID, accept: Any) -> list[asyncpg.Record]:
        return await eventually(lambda: self.grants(case_id), accept)

    # -- the cases ------------------------------------------------------------------------

    async def test_case_discussed_grants_each_member_once(self) -> None:
        case_id = uuid.uuid4()
        env = envelope(case_discussed(case_id, "kikan-02", "shakyo"), "meetings")
        await self.publish(env, case_id)
        rows = await self.settled(case_id, lambda rows: len(rows) == 2)
        assert [(r["agency_id"], r["source"], r["event_id"]) for r in rows] == [
            ("kikan-02", "meeting", env.event_id),
            ("shakyo", "meeting", env.event_id),
        ]
        assert await self.inbox_rows(env.event_id) == 1

    async def test_referral_requested_grants_the_receiver(self) -> None:
        case_id = uuid.uuid4()
        contract = referral_requested(case_id, "kikan-02")
        env = envelope(contract, "referral")
        await self.publish(env, case_id)
        rows = await self.settled(case_id, lambda rows: len(rows) == 1)
        assert (rows[0]["agency_id"], rows[0]["source"]) == ("kikan-02", "referral")
        assert rows[0]["source_id"] == contract.referral_id
        assert rows[0]["revoked_at"] is None

    async def test_referral_revoked_for_consent_withdrawn_ends_the_grant(self) -> None:
        case_id = uuid.uuid4()
        requested = referral_requested(case_id, "kikan-02")
        await self.publish(envelope(requested, "referral"), case_id)
        await self.settled(case_id, lambda rows: len(rows) == 1)
        revoked = ReferralRevoked(
            referral_id=requested.referral_id,
            case_id=case_id,
            revoked_at=datetime.now(UTC),
            reason_code="consent_withdrawn",
        )
        await self.publish(envelope(revoked, "referral"), case_id)
        rows = await self.settled(case_id, lambda rows: rows[0]["revoked_at"] is not None)
        assert rows[0]["end_reason"] == "referral_revoked"

    async def test_duplicate_delivery_changes_nothing(self) -> None:
        case_id = uuid.uuid4()
        first = envelope(case_discussed(case_id, "kikan-02"), "meetings")
        await self.publish(first, case_id)
        await self.publish(first, case_id)  # the same event_id again (a redelivery)
        # A second decision on the same case, behind the copy on the same partition key:
        # once it is in, the copy has been seen.
        sentinel = envelope(case_discussed(case_id, "shakyo"), "meetings")
        await self.publish(sentinel, case_id)
        rows = await self.settled(case_id, lambda rows: len(rows) == 2)
        assert [r["event_id"] for r in rows] == [first.event_id, sentinel.event_id]
        assert await self.inbox_rows(first.event_id) == 1

    async def test_poison_is_dead_lettered_and_the_next_event_handled(self) -> None:
        case_id = uuid.uuid4()
        key = str(case_id).encode()
        not_json = b"\xff not an event"
        unsigned = envelope(case_discussed(case_id, "shakyo"), "meetings")
        good = envelope(case_discussed(case_id, "kikan-02"), "meetings")
        await self.deliver("meetings", key, not_json)
        await self.deliver("meetings", key, unsigned.to_bytes(), signed=False)
        await self.deliver("meetings", key, good.to_bytes())
        rows = await self.settled(case_id, lambda rows: len(rows) == 1)
        assert rows[0]["event_id"] == good.event_id  # the unsigned copy granted nothing
        letters = await eventually(lambda: self.dead_lettered(key), lambda found: len(found) == 2)
        assert letters == [not_json, unsigned.to_bytes()]
        assert await self.inbox_rows(unsigned.event_id) == 0
