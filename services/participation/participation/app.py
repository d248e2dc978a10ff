"""ASGI entry point: ``uvicorn participation.app:app``. Health and migrations only, for now."""

from kasane.web.app import ServiceSpec, create_app

app = create_app(ServiceSpec(name="participation", title="kasane participation"))
