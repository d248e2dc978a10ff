"""Subscriptions have one declaration: the handlers.

Each service reads the topics of the contracts its dispatcher handles
(``Subscription.of(dispatch)``). ``kasane.events.catalog.SUBSCRIPTIONS`` — what the broker's
ACLs and the AsyncAPI document are built from — must say exactly that, or the broker would
refuse a topic the service reads (or allow one it does not).
"""

from __future__ import annotations

import importlib

import pytest

from kasane.bus.dispatch import Dispatcher
from kasane.events.catalog import SUBSCRIPTIONS
from kasane.events.meetings import CaseDiscussed
from kasane.settings import SERVICES


def dispatcher_of(service: str) -> Dispatcher:
    dispatch = importlib.import_module(f"{service}.handlers").dispatch
    assert isinstance(dispatch, Dispatcher)
    return dispatch


@pytest.mark.parametrize("service", SERVICES)
def test_the_catalog_says_what_the_handlers_read(service: str) -> None:
    assert set(SUBSCRIPTIONS.get(service, ())) == set(dispatcher_of(service).producers)


def test_a_dispatcher_reads_the_topics_of_the_contracts_it_handles() -> None:
    dispatch = Dispatcher()
    before = dispatch.producers
    assert before == ()

    @dispatch.on(CaseDiscussed)
    async def discussed(*_: object) -> None: ...

    assert dispatch.producers == ("meetings",)
