"""Event contracts shared by every service (``kasane.events.<service>``)."""

from kasane.events.envelope import Envelope, EventContract, wrap
from kasane.events.registry import EventRegistry, MalformedEvent, ParsedEvent, UnknownEvent
from kasane.events.topics import dlq_topic_for, topic_for

__all__ = [
    "Envelope",
    "EventContract",
    "EventRegistry",
    "MalformedEvent",
    "ParsedEvent",
    "UnknownEvent",
    "all_contracts",
    "dlq_topic_for",
    "topic_for",
    "wrap",
]


def all_contracts() -> dict[str, tuple[type[EventContract], ...]]:
    """Every published contract, by producing service (feeds the AsyncAPI document)."""
    from kasane.events.catalog import PUBLISHED

    return dict(PUBLISHED)
