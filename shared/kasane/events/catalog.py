"""Who publishes which contracts and who listens: the data behind the AsyncAPI document.

Only what the code really does is listed; a service's issue adds its contracts and its
subscriptions here (DESIGN.md section 4 has the full target table).
"""

from __future__ import annotations

from kasane.events.envelope import EventContract
from kasane.events.intake import CONTRACTS as INTAKE

PUBLISHED: dict[str, tuple[type[EventContract], ...]] = {
    "intake": INTAKE,
}

# consumer service -> producing services whose topics it subscribes to
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "indicators": ("intake", "referral", "participation", "community", "outreach", "meetings"),
}
