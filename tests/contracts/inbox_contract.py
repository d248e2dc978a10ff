"""The inbox's contract, written once and run on every implementation (as eventsourcing's
abstract recorder tests run on each backend): the real :func:`kasane.bus.inbox.handle_once`
on PostgreSQL (``tests/integration/delivery/test_inbox_contract_postgres.py``) and the
in-memory fake the consumer's unit tests use (``tests/unit/bus/test_bus_fake_inbox_contract.py``).
A fake that drifts from the real inbox fails here, not silently in the tests that trust it."""

from __future__ import annotations

import abc
from datetime import UTC, datetime
from uuid import UUID

import pytest

from kasane.bus.inbox import Delivery
from kasane.events import EventRegistry, wrap
from kasane.events.intake import CONTRACTS, ConsultationReceived
from kasane.events.registry import ParsedEvent
from kasane.ids import uuid7

REGISTRY = EventRegistry(CONTRACTS)


class HandlerBroke(Exception):
    pass


def parsed_event() -> ParsedEvent:
    envelope = wrap(
        ConsultationReceived(
            consultation_id=uuid7(),
            agency_id="jiritsu",
            received_at=datetime(2031, 7, 1, tzinfo=UTC),
            channel="phone",
            issue_codes=["poverty"],
            age_band="40-49",
            school_district_code="02",
            is_complex=False,
        ),
        producer="intake",
        municipality_code="402036",
        agency_id="jiritsu",
    )
    return REGISTRY.parse(envelope.to_bytes())


def delivery_of(event: ParsedEvent, offset: int = 0) -> Delivery:
    return Delivery("kasane.intake.v1", 0, offset, None, event.envelope.to_bytes())


class InboxContract(abc.ABC):
    consumer = "inbox-contract"

    @abc.abstractmethod
    async def handle(self, event: ParsedEvent, write: bool = True, fail: bool = False) -> bool:
        """Hand ``event`` to the inbox with a handler that writes one effect for the event
        (if ``write``) and then raises :class:`HandlerBroke` (if ``fail``)."""

    @abc.abstractmethod
    async def effects(self, event_id: UUID) -> int:
        """How many committed effects the handler left for ``event_id``."""

    @abc.abstractmethod
    def handler_runs(self) -> int:
        """How many times the handler was called so far."""

    async def test_first_delivery_runs_the_handler_and_returns_true(self) -> None:
        event = parsed_event()
        assert await self.handle(event) is True
        assert self.handler_runs() == 1
        assert await self.effects(event.envelope.event_id) == 1

    async def test_second_delivery_of_the_event_returns_false_without_running(self) -> None:
        event = parsed_event()
        await self.handle(event)
        assert await self.handle(event) is False
        assert self.handler_runs() == 1
        assert await self.effects(event.envelope.event_id) == 1

    async def test_distinct_events_are_each_handled(self) -> None:
        first, second = parsed_event(), parsed_event()
        assert await self.handle(first) is True
        assert await self.handle(second) is True
        assert self.handler_runs() == 2

    async def test_handler_error_rolls_back_so_the_event_can_be_retried(self) -> None:
        event = parsed_event()
        with pytest.raises(HandlerBroke):
            await self.handle(event, fail=True)
        # Neither the effect written before the error nor the inbox row survived...
        assert await self.effects(event.envelope.event_id) == 0
        # ...so the retry runs the handler again and commits.
        assert await self.handle(event) is True
        assert self.handler_runs() == 2
        assert await self.effects(event.envelope.event_id) == 1
