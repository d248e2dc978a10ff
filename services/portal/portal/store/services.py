"""The seven services' APIs, called as the signed-in user (the portal's only data source).

One ``httpx.AsyncClient`` per process (connection reuse); each call carries the user's
bearer token, and POSTs carry the form's Idempotency-Key so a double submit creates one
record. Answers are returned as they are; what a status means for a page is decided in
``portal.api`` (a 422's field errors go back next to the fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from kasane.settings import SERVICE_PORTS, Settings


class ServiceDown(Exception):
    """The service did not answer (connection refused, timeout, 5xx): a page says so."""

    def __init__(self, service: str) -> None:
        super().__init__(service)
        self.service = service


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any  # parsed JSON, or None
    headers: dict[str, str] = field(default_factory=dict)
    text: str = ""  # non-JSON bodies (the printable sheets)
    content: bytes = b""  # the raw body, for files passed through (CSV, .xlsx)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Services:
    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        self._urls = {name: settings.service_url(name) for name in SERVICE_PORTS}
        self._client = client

    async def call(
        self,
        token: str,
        service: str,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = {"Authorization": f"Bearer {token}", **(headers or {})}
        try:
            response = await self._client.request(
                method, self._urls[service] + path, params=params, json=json, headers=sent
            )
        except httpx.HTTPError as exc:
            raise ServiceDown(service) from exc
        if response.status_code >= 500:
            raise ServiceDown(service)
        body: Any = None
        if response.headers.get("content-type", "").startswith("application/json"):
            body = response.json()
        return Answer(
            response.status_code,
            body,
            {k.lower(): v for k, v in response.headers.items()},
            "" if body is not None else response.text,
            response.content,
        )

    async def get(self, token: str, service: str, path: str, **params: Any) -> Answer:
        return await self.call(
            token, service, "GET", path, params={k: v for k, v in params.items() if v is not None}
        )
