"""The broker's ACLs come from the event catalog, and grant no more than it declares."""

from __future__ import annotations

import pytest

from kasane.bus.acls import (
    Acl,
    Operation,
    ResourceType,
    all_acls,
    provisioned_topics,
    service_acls,
)
from kasane.events import EventRegistry
from kasane.events.catalog import PUBLISHED, SUBSCRIPTIONS
from kasane.settings import SERVICES
from kasane.web.app import ServiceSpec, Subscription, _subscribed_producers

NS = "t1."


def _topic_ops(acls: list[Acl]) -> dict[str, set[Operation]]:
    found: dict[str, set[Operation]] = {}
    for acl in acls:
        if acl.resource_type is ResourceType.TOPIC:
            found.setdefault(acl.resource_name, set()).add(acl.operation)
    return found


def test_intake_writes_its_topic_and_dlq_reads_its_subscriptions_only() -> None:
    acls = service_acls("intake", NS)
    assert {a.principal for a in acls} == {"User:intake"}
    assert _topic_ops(acls) == {
        "t1.kasane.intake.v1": {Operation.WRITE, Operation.DESCRIBE},
        "t1.kasane.intake.dlq.v1": {Operation.WRITE, Operation.DESCRIBE},
        "t1.kasane.community.v1": {Operation.READ, Operation.DESCRIBE},
        "t1.kasane.referral.v1": {Operation.READ, Operation.DESCRIBE},
        "t1.kasane.meetings.v1": {Operation.READ, Operation.DESCRIBE},
    }
    groups = {a.resource_name for a in acls if a.resource_type is ResourceType.GROUP}
    assert groups == {"t1.kasane.intake"}
    cluster = [a for a in acls if a.resource_type is ResourceType.CLUSTER]
    assert [a.operation for a in cluster] == [Operation.IDEMPOTENT_WRITE]


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_follows_the_catalog(service: str) -> None:
    ops = _topic_ops(service_acls(service, NS))
    writes = {t for t, o in ops.items() if Operation.WRITE in o}
    reads = {t for t, o in ops.items() if Operation.READ in o}
    expected_writes = {f"t1.kasane.{service}.v1"} if service in PUBLISHED else set()
    if SUBSCRIPTIONS.get(service):
        expected_writes.add(f"t1.kasane.{service}.dlq.v1")
    assert writes == expected_writes
    assert reads == {f"t1.kasane.{p}.v1" for p in SUBSCRIPTIONS.get(service, ())}


def test_nothing_beyond_read_write_describe_and_idempotent_write() -> None:
    acls = all_acls(NS)
    assert {a.operation for a in acls} <= {
        Operation.READ,
        Operation.WRITE,
        Operation.DESCRIBE,
        Operation.IDEMPOTENT_WRITE,
    }
    assert not any("ANONYMOUS" in a.principal or a.principal == "User:*" for a in acls)


def test_the_admin_provisions_every_topic_a_service_uses() -> None:
    topics = set(provisioned_topics(NS))
    used = {a.resource_name for a in all_acls(NS) if a.resource_type is ResourceType.TOPIC}
    assert used <= topics


def test_a_subscription_missing_from_the_catalog_stops_the_start() -> None:
    # The broker would refuse it anyway; failing at start says where to declare it.
    spec = ServiceSpec(
        name="outreach",
        title="t",
        subscription=Subscription(["intake"], EventRegistry([]), _noop),
    )
    with pytest.raises(RuntimeError, match="SUBSCRIPTIONS"):
        _subscribed_producers(spec)
    declared = ServiceSpec(
        name="outreach",
        title="t",
        subscription=Subscription(
            producers=["meetings"], registry=EventRegistry([]), handler=_noop
        ),
    )
    assert _subscribed_producers(declared) == ["meetings"]


async def _noop(*_: object) -> None:
    return None
