"""Rendering of the local broker's properties and cluster ids (no I/O)."""

from __future__ import annotations

import base64
import itertools
from pathlib import Path

from kasane_dev.local.kafka_config import (
    BrokerSecrets,
    KafkaLayout,
    jvm_options,
    log4j2_properties,
    new_cluster_id,
    render_properties,
    scram_arguments,
    server_properties,
)

SECRETS = BrokerSecrets(admin_password="adm1n", controller_password="c0ntr0l")


def test_server_properties_single_kraft_node_on_loopback() -> None:
    props = server_properties(Path("/s/kafka/data"), 41092, 41093, SECRETS)
    assert props["process.roles"] == "broker,controller"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:41093"
    assert props["listeners"] == "BROKER://127.0.0.1:41092,CONTROLLER://127.0.0.1:41093"
    assert props["advertised.listeners"] == "BROKER://127.0.0.1:41092"
    assert props["log.dirs"] == "/s/kafka/data"


def test_server_properties_authenticate_every_listener_and_authorize_by_acl() -> None:
    props = server_properties(Path("/d"), 1, 2, SECRETS)
    # No PLAINTEXT listener at all: the controller port is no anonymous back door either.
    assert props["listener.security.protocol.map"] == (
        "CONTROLLER:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT"
    )
    assert props["listener.name.broker.sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert props["sasl.mechanism.inter.broker.protocol"] == "SCRAM-SHA-512"
    assert props["listener.name.controller.sasl.enabled.mechanisms"] == "PLAIN"
    assert 'password="adm1n"' in props["listener.name.broker.scram-sha-512.sasl.jaas.config"]
    assert 'user_controller="c0ntr0l"' in props["listener.name.controller.plain.sasl.jaas.config"]
    assert props["authorizer.class.name"] == (
        "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    )
    assert props["allow.everyone.if.no.acl.found"] == "false"
    assert props["super.users"] == "User:kasane-admin;User:controller"
    assert "ANONYMOUS" not in props["super.users"]
    assert props["auto.create.topics.enable"] == "false"


def test_scram_arguments_one_add_scram_per_user() -> None:
    assert scram_arguments({"kasane-admin": "a", "intake": "b"}) == [
        "--add-scram", "SCRAM-SHA-512=[name=kasane-admin,password=a]",
        "--add-scram", "SCRAM-SHA-512=[name=intake,password=b]",
    ]  # fmt: skip


def test_server_properties_fit_one_node_and_keep_events_forever() -> None:
    props = server_properties(Path("/d"), 1, 2, SECRETS)
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "share.coordinator.state.topic.replication.factor",
        "share.coordinator.state.topic.min.isr",
        "offsets.topic.num.partitions",
    ):
        assert props[key] == "1", key
    assert props["log.retention.ms"] == "-1"
    assert props["num.partitions"] == "3"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["log.cleaner.dedupe.buffer.size"] == "8388608"
    assert props["num.network.threads"] == props["num.io.threads"] == "2"


def test_render_properties_one_key_per_line_after_header() -> None:
    text = render_properties({"a.b": "1", "c": "/x/y"}, "hello")
    assert text == "# hello\na.b=1\nc=/x/y\n"


def test_log4j2_writes_to_the_given_file() -> None:
    props = log4j2_properties(Path("/s/logs/kafka.log"))
    assert props["appender.file.fileName"] == "/s/logs/kafka.log"
    assert props["rootLogger.appenderRef.file.ref"] == props["appender.file.name"]


def test_layout_keeps_everything_under_the_state_folder() -> None:
    layout = KafkaLayout(Path("/s"))
    assert layout.data == Path("/s/kafka/data")
    assert layout.meta_properties == Path("/s/kafka/data/meta.properties")
    assert layout.log_file == Path("/s/logs/kafka.log")
    assert layout.pid_file == Path("/s/run/kafka.pid")


def test_cluster_id_is_22_urlsafe_chars_of_16_bytes() -> None:
    cluster_id = new_cluster_id()
    assert len(cluster_id) == 22
    assert "=" not in cluster_id
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_cluster_id_never_starts_with_a_dash() -> None:
    # 0xf8 encodes to '-' as the first urlsafe base64 character.
    draws = itertools.chain([b"\xf8" + b"\0" * 15], itertools.repeat(b"\x01" * 16))
    cluster_id = new_cluster_id(lambda: next(draws))
    assert not cluster_id.startswith("-")
    assert cluster_id == base64.urlsafe_b64encode(b"\x01" * 16).decode().rstrip("=")


def test_jvm_options_keep_the_small_heap_and_append_the_developers_flags() -> None:
    assert jvm_options() == ["-Xms256m", "-Xmx512m"]
    # Appended, so a later -Xmx wins over ours (the JVM keeps the last of a flag).
    assert jvm_options("-XX:+UseSerialGC  -Xmx1g") == [
        "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-Xmx1g",
    ]  # fmt: skip
