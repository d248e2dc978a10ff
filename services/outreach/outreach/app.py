"""ASGI entry point: ``uvicorn outreach.app:app`` (アウトリーチ等を通じた継続的支援事業, 社協)."""

from kasane.web.app import ServiceSpec, Subscription, create_app
from outreach.api import ROUTERS
from outreach.handlers import dispatch

app = create_app(
    ServiceSpec(
        name="outreach",
        title="kasane outreach アウトリーチ等を通じた継続的支援事業",
        routers=ROUTERS,
        # Our plans are approved, returned and ended at meetings' 重層的支援会議.
        subscription=Subscription.of(dispatch),
    )
)
