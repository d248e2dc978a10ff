"""ASGI entry point: ``uvicorn community.app:app`` (地域づくりに向けた支援事業, 社協)."""

from community.api import ROUTERS
from community.handlers import dispatch
from kasane.web.app import ServiceSpec, Subscription, create_app

app = create_app(
    ServiceSpec(
        name="community",
        title="kasane community 地域づくりに向けた支援事業",
        routers=ROUTERS,
        # intake tells us which agency queued a concern report (concern_id on the event).
        subscription=Subscription.of(dispatch),
    )
)
