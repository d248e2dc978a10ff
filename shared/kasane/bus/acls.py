"""Least-privilege Kafka ACLs, derived from the one event catalog (no second list).

For each service ``s`` in namespace ``ns`` (``kasane.events.catalog``):

- WRITE + DESCRIBE on ``<ns>kasane.<s>.v1`` if ``s`` publishes (``PUBLISHED``);
- WRITE + DESCRIBE on its dead-letter topic ``<ns>kasane.<s>.dlq.v1`` if it consumes;
- READ + DESCRIBE on the topic of every producer it subscribes to (``SUBSCRIPTIONS``);
- READ + DESCRIBE on its own consumer group ``<ns>kasane.<s>`` and no other;
- IDEMPOTENT_WRITE on the cluster (the idempotent producer's InitProducerId).

Nothing else: no CREATE (the admin creates every topic up front, see
:func:`provisioned_topics`), no ALTER, no DELETE, and nothing for ``User:ANONYMOUS``; the
broker runs with ``allow.everyone.if.no.acl.found=false``. Pure data, so a unit test can
read the whole policy.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kasane.events.catalog import PUBLISHED, SUBSCRIPTIONS
from kasane.events.topics import dlq_topic_for, topic_for
from kasane.settings import SERVICES


class ResourceType(enum.IntEnum):  # Kafka protocol codes
    TOPIC = 2
    GROUP = 3
    CLUSTER = 4


class Operation(enum.IntEnum):
    READ = 3
    WRITE = 4
    DESCRIBE = 8
    IDEMPOTENT_WRITE = 12


PATTERN_LITERAL = 3
PERMISSION_ALLOW = 3
CLUSTER_NAME = "kafka-cluster"


@dataclass(frozen=True, order=True)
class Acl:
    principal: str  # "User:<name>"
    resource_type: ResourceType
    resource_name: str
    operation: Operation


def principal_of(service: str) -> str:
    """The Kafka principal of a service: its SCRAM user name is the service name."""
    return f"User:{service}"


def consumer_group(service: str, namespace: str = "") -> str:
    return f"{namespace}kasane.{service}"


def service_acls(service: str, namespace: str = "") -> list[Acl]:
    user = principal_of(service)
    acls: list[Acl] = []

    def topic(name: str, *ops: Operation) -> None:
        acls.extend(Acl(user, ResourceType.TOPIC, name, op) for op in ops)

    if service in PUBLISHED:
        topic(topic_for(service, namespace), Operation.WRITE, Operation.DESCRIBE)
    producers = SUBSCRIPTIONS.get(service, ())
    if producers:
        topic(dlq_topic_for(service, namespace), Operation.WRITE, Operation.DESCRIBE)
        for producer in producers:
            topic(topic_for(producer, namespace), Operation.READ, Operation.DESCRIBE)
        group = consumer_group(service, namespace)
        acls.append(Acl(user, ResourceType.GROUP, group, Operation.READ))
        acls.append(Acl(user, ResourceType.GROUP, group, Operation.DESCRIBE))
    acls.append(Acl(user, ResourceType.CLUSTER, CLUSTER_NAME, Operation.IDEMPOTENT_WRITE))
    return acls


def all_acls(namespace: str = "") -> list[Acl]:
    return [acl for service in SERVICES for acl in service_acls(service, namespace)]


def provisioned_topics(namespace: str = "") -> list[str]:
    """Every topic the admin creates: each publisher's topic and each consumer's DLQ."""
    topics = [topic_for(s, namespace) for s in PUBLISHED]
    topics += [dlq_topic_for(s, namespace) for s, producers in SUBSCRIPTIONS.items() if producers]
    return topics
