"""Operators trust each other only as far as the contracts say (issue 13), on the real broker.

The broker authenticates every client and authorises by the ACLs derived from the event
catalog; consumers accept only records signed by the producing service's key. The forged
grant of the issue — a ``meetings.CaseDiscussed`` making kodomo a 支援会議 member of a case
it has nothing to do with — must grant nothing and land in intake's dead-letter topic,
whether it is unsigned, signed by an unknown key, or signed by another service's key, even
when it is produced with meetings' own valid broker credentials.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)
from aiokafka.structs import ConsumerRecord
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.bus.credentials import KafkaAccess, KafkaCredentials, kafka_access
from kasane.bus.signing import EventSigner, signer_for
from kasane.events import wrap
from kasane.events.meetings import CaseDiscussed
from kasane.events.topics import dlq_topic_for, topic_for
from kasane.settings import Settings
from kasane_dev.testing.infra import TestInfra as Infra  # not collected as a test class
from kasane_dev.testing.services import RunningService
from tests.integration.helpers import eventually, read_topic
from tests.integration.intake.intake_steps import Auth, household_case

pytestmark = pytest.mark.integration

OWNER = "houkatsu-01"
FORGED_FOR = "kodomo"


@pytest.fixture
def authenticated(infra: Infra) -> Infra:
    if infra.secrets_dir is None:
        pytest.skip("needs the local stack's per-service principals (see kasane_dev.testing.infra)")
    return infra


async def _produce_as(
    access: KafkaAccess,
    topic: str,
    value: bytes,
    key: bytes,
    headers: list[tuple[str, bytes]] | None = None,
) -> None:
    producer = AIOKafkaProducer(**access.client_kwargs(), acks="all", request_timeout_ms=10000)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def test_an_unauthenticated_client_cannot_connect_or_produce(
    authenticated: Infra, settings: Settings
) -> None:
    topic = topic_for("meetings", settings.topic_namespace)
    anonymous = KafkaAccess(settings.kafka_bootstrap, "PLAINTEXT", None)
    with pytest.raises(KafkaConnectionError):
        await _produce_as(anonymous, topic, b"{}", b"k")
    wrong_password = KafkaAccess(
        settings.kafka_bootstrap, "SASL_PLAINTEXT", KafkaCredentials("meetings", "guessed")
    )
    with pytest.raises(KafkaConnectionError):
        await _produce_as(wrong_password, topic, b"{}", b"k")


async def test_intake_may_not_write_meetings_topic_nor_read_or_join_what_it_does_not_own(
    authenticated: Infra, settings: Settings
) -> None:
    ns = settings.topic_namespace
    intake = kafka_access(settings, "intake")
    with pytest.raises(TopicAuthorizationFailedError):
        await _produce_as(intake, topic_for("meetings", ns), b"{}", b"k")
    # Its own topic works: the refusal is the ACL, not a broken connection.
    await _produce_as(intake, topic_for("intake", ns), b"not an event", b"intake-acl-probe")

    # intake subscribes to community, referral and meetings; not to outreach.
    reader = AIOKafkaConsumer(
        topic_for("outreach", ns), **intake.client_kwargs(), group_id=None, request_timeout_ms=10000
    )
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await reader.start()
            await reader.getmany(timeout_ms=5000)
    finally:
        await reader.stop()
    # ...and may use only its own consumer group, not indicators'.
    joiner = AIOKafkaConsumer(
        topic_for("meetings", ns),
        **intake.client_kwargs(),
        group_id=f"{ns}kasane.indicators",
        request_timeout_ms=10000,
    )
    try:
        with pytest.raises(GroupAuthorizationFailedError):
            await joiner.start()
            await joiner.getmany(timeout_ms=5000)
    finally:
        await joiner.stop()


def _forged(case_id: str) -> tuple[bytes, bytes]:
    envelope = wrap(
        CaseDiscussed(
            meeting_id=uuid.uuid4(),
            agenda_item_id=uuid.uuid4(),
            case_id=uuid.UUID(case_id),
            meeting_type="support_meeting",
            kind="information_sharing",
            legal_basis="support_meeting",
            discussed_on=date.today(),
            decision_id=uuid.uuid4(),
            outcome="share",
            member_agency_ids=[FORGED_FOR],
            access_until=date.today() + timedelta(days=90),
        ),
        producer="meetings",
        municipality_code="402036",
        agency_id="shakyo",
    )
    return case_id.encode(), envelope.to_bytes()


def _signature(how: str, settings: Settings, value: bytes) -> list[tuple[str, bytes]] | None:
    if how == "unsigned":
        return None
    if how == "unknown_key":  # claims to be a meetings key; no consumer trusts it
        return EventSigner("meetings.forged-1", Ed25519PrivateKey.generate()).headers(value)
    if how == "other_service_key":  # a real, trusted key — of community, not meetings
        return signer_for(settings, "community").headers(value)
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["unsigned", "unknown_key", "other_service_key"])
async def test_a_forged_case_discussed_grants_nothing_and_is_dead_lettered(
    how: str, intake: RunningService, auth: Auth, settings: Settings
) -> None:
    ids = await household_case(intake, auth(OWNER, "counselor"))
    case_path = f"/cases/{ids['case']}"

    async def kodomo_status() -> int:
        response = await intake.client.get(case_path, headers=auth(FORGED_FOR, "counselor"))
        return response.status_code

    assert await kodomo_status() == 404
    key, value = _forged(ids["case"])
    # meetings' own broker credentials (the ACLs let it write its topic); only the
    # signature is wrong. On a broker without per-service principals, the admin's.
    access = kafka_access(settings, "meetings")
    await _produce_as(
        access,
        topic_for("meetings", settings.topic_namespace),
        value,
        key,
        _signature(how, settings, value),
    )

    async def dead_letters() -> list[ConsumerRecord]:
        dlq = dlq_topic_for("intake", settings.topic_namespace)
        return [r for r in await read_topic(settings.kafka_bootstrap, dlq, 0.5) if r.key == key]

    letters = await eventually(dead_letters, lambda found: len(found) == 1)
    assert letters[0].value == value  # the original bytes
    assert dict(letters[0].headers)["dlq.error"].decode().startswith("UnverifiedEvent")
    # Decided (dead-lettered) and nothing changed: kodomo still cannot see the case.
    assert await kodomo_status() == 404


async def test_the_same_event_signed_by_meetings_does_grant(
    intake: RunningService, auth: Auth, settings: Settings
) -> None:
    # The control: the forged tests fail for the signature alone, not for the content.
    ids = await household_case(intake, auth(OWNER, "counselor"))
    key, value = _forged(ids["case"])
    await _produce_as(
        kafka_access(settings, "meetings"),
        topic_for("meetings", settings.topic_namespace),
        value,
        key,
        signer_for(settings, "meetings").headers(value),
    )

    async def kodomo_status() -> int:
        response = await intake.client.get(
            f"/cases/{ids['case']}", headers=auth(FORGED_FOR, "counselor")
        )
        return response.status_code

    await eventually(kodomo_status, lambda status: status == 200)
    assert json.loads(value)["producer"] == "meetings"
