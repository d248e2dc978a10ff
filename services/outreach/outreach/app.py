"""ASGI entry point: ``uvicorn outreach.app:app``. Health and migrations only, for now."""

from kasane.web.app import ServiceSpec, create_app

app = create_app(ServiceSpec(name="outreach", title="kasane outreach"))
