"""An AsyncAPI 3.0 document generated from the event contracts (committed as
``docs/asyncapi.json``; a test fails when the committed copy drifts from the code)."""

from __future__ import annotations

import json
from typing import Any

from kasane.events.catalog import PUBLISHED, SUBSCRIPTIONS
from kasane.events.envelope import Envelope, EventContract
from kasane.events.topics import dlq_topic_for, topic_for


def _message_name(contract: type[EventContract]) -> str:
    return f"{contract.event_type}.v{contract.schema_version}"


def _hoist_defs(schema: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    """Move pydantic's local ``$defs`` into the document's ``components.schemas``.

    pydantic writes ``{"$ref": "#/$defs/RoleAssignment"}`` relative to its own schema; inside
    the AsyncAPI document that pointer resolves against the document root, where no
    ``$defs`` exists. One shared definition per name: two different ones are an error.
    """
    for name, definition in schema.pop("$defs", {}).items():
        definition = _rewrite_refs(definition)
        if shared.setdefault(name, definition) != definition:
            raise ValueError(f"two different event schemas are both named {name}")
    result = _rewrite_refs(schema)
    assert isinstance(result, dict)
    return result


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", "#/components/schemas/", 1)
                if key == "$ref" and isinstance(value, str)
                else _rewrite_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def _message(contract: type[EventContract], shared: dict[str, Any]) -> dict[str, Any]:
    envelope = _hoist_defs(Envelope.model_json_schema(), shared)
    envelope["properties"]["event_type"] = {"const": contract.event_type, "type": "string"}
    envelope["properties"]["schema_version"] = {"const": contract.schema_version, "type": "integer"}
    envelope["properties"]["payload"] = _hoist_defs(contract.model_json_schema(), shared)
    return {
        "name": contract.event_type,
        "title": contract.__name__,
        "summary": (contract.__doc__ or "").strip().splitlines()[0] if contract.__doc__ else "",
        "contentType": "application/json",
        "payload": envelope,
        "headers": {
            "type": "object",
            "description": "The envelope ids repeated as Kafka headers.",
            "properties": {
                h: {"type": "string"}
                for h in (
                    "event_id",
                    "event_type",
                    "schema_version",
                    "correlation_id",
                    "causation_id",
                    "producer",
                )
            },
        },
        "bindings": {
            "kafka": {"key": {"type": "string", "description": "case_id, or the aggregate id"}}
        },
    }


def generate() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for service, contracts in sorted(PUBLISHED.items()):
        channel_id = topic_for(service)
        refs = {}
        for contract in contracts:
            name = _message_name(contract)
            messages[name] = _message(contract, schemas)
            refs[name] = {"$ref": f"#/components/messages/{name}"}
        channels[channel_id] = {
            "address": topic_for(service),
            "description": f"Events published by {service} (retention: forever).",
            "messages": refs,
        }
        operations[f"{service}.publish"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "summary": f"{service} publishes through its transactional outbox.",
        }
    for consumer, producers in sorted(SUBSCRIPTIONS.items()):
        for producer in producers:
            if topic_for(producer) in channels:
                operations[f"{consumer}.receive.{producer}"] = {
                    "action": "receive",
                    "channel": {"$ref": f"#/channels/{topic_for(producer)}"},
                    "summary": f"{consumer} consumes {producer}'s events through its inbox.",
                }
        dlq = dlq_topic_for(consumer)
        channels[dlq] = {
            "address": dlq,
            "description": f"Messages {consumer} could not handle: original bytes, error in "
            "headers dlq.error / dlq.source_topic / dlq.partition / dlq.offset.",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "kasane events",
            "version": "1",
            "description": "重層的支援体制整備事業 platform: events between services. "
            "No personal information travels in events.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def render() -> str:
    return json.dumps(generate(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
