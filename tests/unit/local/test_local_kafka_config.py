"""Rendering of the local broker's properties and cluster ids (no I/O)."""

from __future__ import annotations

import base64
import itertools
from pathlib import Path

from kasane.local.kafka_config import (
    KafkaLayout,
    log4j2_properties,
    new_cluster_id,
    render_properties,
    server_properties,
)


def test_server_properties_single_kraft_node_on_loopback() -> None:
    props = server_properties(Path("/s/kafka/data"), 41092, 41093)
    assert props["process.roles"] == "broker,controller"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:41093"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:41092,CONTROLLER://127.0.0.1:41093"
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:41092"
    assert props["log.dirs"] == "/s/kafka/data"


def test_server_properties_fit_one_node_and_keep_events_forever() -> None:
    props = server_properties(Path("/d"), 1, 2)
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
    assert props["auto.create.topics.enable"] == "true"
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
