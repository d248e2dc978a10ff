"""Who publishes which contracts and who listens: the data behind the AsyncAPI document.

Subscriptions list only what the code really consumes; each service's issue adds its own
(docs/architecture/events-and-contracts.md).
"""

from __future__ import annotations

from kasane.events import community, intake, meetings, outreach, participation, referral
from kasane.events.envelope import EventContract

PUBLISHED: dict[str, tuple[type[EventContract], ...]] = {
    "intake": intake.CONTRACTS,
    "referral": referral.CONTRACTS,
    "participation": participation.CONTRACTS,
    "community": community.CONTRACTS,
    "outreach": outreach.CONTRACTS,
    "meetings": meetings.CONTRACTS,
}

# consumer service -> producing services whose topics it subscribes to. The handlers are the
# declaration (each app's ``Subscription.of(dispatch)``); this copy, read by the broker ACLs
# and the AsyncAPI generator, is checked against them by
# tests/unit/events/test_events_subscriptions_from_handlers.py.
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "intake": ("community", "referral", "meetings"),
    "referral": ("intake", "meetings"),
    "participation": ("referral", "meetings", "community"),
    "community": ("intake",),
    "outreach": ("meetings",),
    "meetings": ("intake", "outreach", "participation"),
    "indicators": ("intake", "referral", "participation", "community", "outreach", "meetings"),
}
