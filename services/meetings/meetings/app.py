"""ASGI entry point: ``uvicorn meetings.app:app``."""

from kasane.web.app import ServiceSpec, Subscription, create_app
from meetings.api import ROUTERS
from meetings.handlers import dispatch
from meetings.usecases.scheduling import generate_upcoming

app = create_app(
    ServiceSpec(
        name="meetings",
        title="kasane meetings 多機関協働事業",
        routers=ROUTERS,
        # Consent and case facts from intake; plans handed in by outreach and participation.
        subscription=Subscription.of(dispatch),
        # This and next fiscal year's calendar exist without anyone asking.
        startup=generate_upcoming,
    )
)
