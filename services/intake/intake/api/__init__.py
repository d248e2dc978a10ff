"""intake's HTTP API, one router per resource."""

from intake.api import (
    audit,
    cases,
    consents,
    consultations,
    households,
    persons,
    queue,
    records,
    search,
    sheet,
)

ROUTERS = (
    consultations.router,
    search.router,
    persons.router,
    households.router,
    cases.router,
    consents.router,
    records.router,
    queue.router,
    audit.router,
    sheet.router,
)
