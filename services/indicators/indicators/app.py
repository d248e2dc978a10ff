"""ASGI entry point: ``uvicorn indicators.app:app``."""

from indicators import dashboard_api, exports_api, operations_api, surveys_api, targets_api
from indicators.api import router
from indicators.handlers import dispatch
from kasane.settings import SERVICES
from kasane.web.app import ServiceSpec, Subscription, create_app

app = create_app(
    ServiceSpec(
        name="indicators",
        title="kasane indicators 目標・評価指標",
        routers=[
            exports_api.router,  # /indicators.csv before /indicators/{id}/...
            router,
            operations_api.router,
            targets_api.router,
            surveys_api.router,
            dashboard_api.router,
            dashboard_api.sign_in,
        ],
        # The city's read model listens to every producing service (DESIGN.md section 4).
        subscription=Subscription(
            producers=[s for s in SERVICES if s != "indicators"],
            registry=dispatch.registry,
            handler=dispatch,
        ),
    )
)
