"""ASGI entry point: ``uvicorn intake.app:app``."""

from intake.api import ROUTERS
from intake.handlers import dispatch
from kasane.web.app import ServiceSpec, Subscription, create_app

app = create_app(
    ServiceSpec(
        name="intake",
        title="kasane intake 包括的相談支援",
        routers=ROUTERS,
        subscription=Subscription.of(dispatch),
    )
)
