"""ASGI entry point: ``uvicorn community.app:app`` (地域づくりに向けた支援事業, 社協)."""

from community import (
    concerns_api,
    councils_api,
    districts_api,
    programs_api,
    resources_api,
    watch_visits_api,
)
from community.handlers import dispatch
from kasane.web.app import ServiceSpec, Subscription, create_app

app = create_app(
    ServiceSpec(
        name="community",
        title="kasane community 地域づくりに向けた支援事業",
        routers=[
            districts_api.router,
            watch_visits_api.router,
            councils_api.router,
            concerns_api.router,
            resources_api.router,
            programs_api.router,
        ],
        # intake tells us which agency queued a concern report (concern_id on the event).
        subscription=Subscription(
            producers=["intake"], registry=dispatch.registry, handler=dispatch
        ),
    )
)
