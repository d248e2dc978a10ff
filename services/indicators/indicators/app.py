"""ASGI entry point: ``uvicorn indicators.app:app``."""

from indicators.api import (
    agencies,
    dashboard,
    exports,
    indicators,
    operations,
    surveys,
    targets,
)
from indicators.handlers import dispatch
from indicators.usecases.batched_writes import BatchedWrites
from kasane.web.app import ServiceSpec, Subscription, create_app

app = create_app(
    ServiceSpec(
        name="indicators",
        title="kasane indicators 目標・評価指標",
        routers=[
            exports.router,  # /indicators.csv before /indicators/{id}/...
            indicators.router,
            operations.router,
            agencies.router,
            targets.router,
            surveys.router,
            dashboard.router,
            dashboard.sign_in,
        ],
        # The city's read model listens to every producing service
        # (docs/architecture/indicators-facts.md). Its verified log lets `kasane indicators
        # rebuild` skip re-verifying what this subscriber verified (read-model-rebuild.md).
        # A batch's fact rows go in bulk, as in a rebuild: one statement per table instead
        # of one round trip per event.
        subscription=Subscription.of(dispatch, verified_log=True, hold_writes=BatchedWrites),
    )
)
