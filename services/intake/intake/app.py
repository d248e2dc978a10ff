"""ASGI entry point: ``uvicorn intake.app:app``."""

from intake.api import router
from kasane.web.app import ServiceSpec, create_app

app = create_app(ServiceSpec(name="intake", title="kasane intake 包括的相談支援", routers=[router]))
