"""outreach's HTTP API, one router per resource."""

from outreach.api import contacts, plans, stats, targets, visits

ROUTERS = (
    targets.router,
    contacts.router,
    plans.router,
    visits.router,
    stats.router,
)
