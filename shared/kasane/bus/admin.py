"""Broker provisioning by the admin principal: topics up front, then the ACLs.

Services do not create topics (they hold no CREATE right): whoever runs the broker
provisions a namespace once — ``kasane up``, the test fixture, compose's init container —
so consumers never race a producer's auto-creation and no service can invent topics.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import SecurityDisabled, TopicAlreadyExistsError, for_code
from aiokafka.protocol.admin import CreateAclsRequest

from kasane.bus.acls import PATTERN_LITERAL, PERMISSION_ALLOW, Acl, all_acls, provisioned_topics
from kasane.bus.credentials import KafkaAccess

log = logging.getLogger(__name__)

DEFAULT_PARTITIONS = 3


async def ensure_topics(
    access: KafkaAccess, topics: list[str], partitions: int = DEFAULT_PARTITIONS
) -> None:
    admin = AIOKafkaAdminClient(**access.client_kwargs())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if not missing:
            return
        # retention.ms=-1: topics are the system of record; read models rebuild from offset 0.
        new = [
            NewTopic(
                t,
                num_partitions=partitions,
                replication_factor=1,
                topic_configs={"retention.ms": "-1"},
            )
            for t in missing
        ]
        with contextlib.suppress(TopicAlreadyExistsError):  # a concurrent provisioner won
            await admin.create_topics(new)
    finally:
        await admin.close()


async def create_acls(access: KafkaAccess, acls: list[Acl]) -> bool:
    """Create the ACLs (idempotent on the broker). False if the broker has no authorizer."""
    admin = AIOKafkaAdminClient(**access.client_kwargs())
    await admin.start()

    async def create(acl: Acl) -> bool:
        request = CreateAclsRequest(
            int(acl.resource_type),
            acl.resource_name,
            PATTERN_LITERAL,
            acl.principal,
            "*",
            int(acl.operation),
            PERMISSION_ALLOW,
        )
        response = await admin._send_request(request)  # aiokafka has no create_acls()
        for error_code, message in response.creation_responses:
            if error_code == SecurityDisabled.errno:
                return False
            if error_code:
                raise for_code(error_code)(f"{acl}: {message}")
        return True

    try:
        # Concurrently: each creation waits for a metadata commit on the controller.
        return all(await asyncio.gather(*(create(acl) for acl in acls)))
    finally:
        await admin.close()


async def provision(access: KafkaAccess, namespace: str = "") -> None:
    """Create a namespace's topics and every service's ACLs, as the admin principal."""
    await ensure_topics(access, provisioned_topics(namespace))
    if not await create_acls(access, all_acls(namespace)):
        log.warning("broker %s has no authorizer: ACLs not created", access.bootstrap)
