"""ASGI entry point: ``uvicorn participation.app:app``."""

from kasane.web.app import ServiceSpec, Subscription, create_app
from participation.api.participants import router as participants_router
from participation.api.resources import router as resources_router
from participation.handlers import dispatch

app = create_app(
    ServiceSpec(
        name="participation",
        title="kasane participation 参加支援事業",
        routers=[resources_router, participants_router],
        # Enrolment from referrals, plan decisions from meetings, the directory from community.
        subscription=Subscription.of(dispatch),
    )
)
