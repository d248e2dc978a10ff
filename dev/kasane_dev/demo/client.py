"""Thin HTTP calls to the seven services, as the agency and role that would make them.

Tokens are minted like ``kasane token`` does (the development key). Calls that depend on
another service's events (a referral needs intake's CaseOpened at referral) retry on the
refusals that mean "not arrived yet" until a bounded deadline.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import httpx

from kasane.auth.tokens import mint_dev_token
from kasane.reference.partners import is_known_partner
from kasane.settings import SERVICE_PORTS


class ApiError(Exception):
    def __init__(self, method: str, url: str, status: int, body: str) -> None:
        super().__init__(f"{method} {url} → {status}: {body[:500]}")
        self.status = status
        self.body = body

    @property
    def fields(self) -> set[str]:
        """The fields named in a kasane error body (``errors[].field``)."""
        try:
            errors = json.loads(self.body).get("errors") or []
            return {str(e.get("field", "")) for e in errors}
        except (ValueError, AttributeError):
            return set()


@dataclass(frozen=True)
class Wait:
    """Retry while the service answers ``status`` naming one of ``fields`` (event not in)."""

    status: frozenset[int]
    fields: frozenset[str]
    timeout_s: float = 90.0

    def covers(self, error: ApiError) -> bool:
        return error.status in self.status and bool(error.fields & self.fields)


class Actor(NamedTuple):
    """Who makes a call: the agency and the role in the token."""

    agency: str
    role: str


def actor_of(agency: str) -> Actor:
    """Consultation agencies act as 相談員; 社協 and アソウ as their programs' coordinators;
    a 連携機関's staff hold the one role its kind allows (``partner``)."""
    if is_known_partner(agency):
        return Actor(agency, "partner")
    return Actor(agency, "coordinator" if agency in ("shakyo", "aso") else "counselor")


SHAKYO = Actor("shakyo", "coordinator")
ASO = Actor("aso", "coordinator")
CITY = Actor("city-chiiki-fukushi", "city_official")


def base_urls(host: str = "127.0.0.1") -> dict[str, str]:
    return {name: f"http://{host}:{port}" for name, port in SERVICE_PORTS.items()}


class Http:
    def __init__(
        self, urls: Mapping[str, str], keys_dir: Path, concurrency: int = 8, timeout_s: float = 60
    ) -> None:
        self._urls = dict(urls)
        self._keys_dir = keys_dir
        self._tokens: dict[Actor, str] = {}
        self._limit = asyncio.Semaphore(concurrency)
        self._client = httpx.AsyncClient(timeout=timeout_s)
        self.calls = 0

    async def aclose(self) -> None:
        await self._client.aclose()

    def url(self, service: str, path: str = "") -> str:
        return f"{self._urls[service]}{path}"

    def token(self, actor: Actor) -> str:
        if actor not in self._tokens:
            self._tokens[actor] = mint_dev_token(
                self._keys_dir, f"demo-{actor.agency}", actor.agency, [actor.role], ttl_minutes=240
            )
        return self._tokens[actor]

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        actor: Actor,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201),
        wait: Wait | None = None,
    ) -> httpx.Response:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (wait.timeout_s if wait else 0)
        delay = 0.2
        transport_failures = 0
        while True:
            try:
                response = await self._send(service, method, path, actor, json, params, headers)
            except httpx.TransportError:
                transport_failures += 1
                if transport_failures > 5:
                    raise
                await asyncio.sleep(0.5 * transport_failures)
                continue
            if response.status_code in ok:
                return response
            error = ApiError(method, self.url(service, path), response.status_code, response.text)
            if wait is None or not wait.covers(error) or loop.time() > deadline:
                raise error
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, 2.0)

    async def _send(
        self,
        service: str,
        method: str,
        path: str,
        actor: Actor,
        json: Any,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Response:
        auth = {"Authorization": f"Bearer {self.token(actor)}", **(headers or {})}
        async with self._limit:
            self.calls += 1
            return await self._client.request(
                method, self.url(service, path), json=json, params=params, headers=auth
            )

    async def healthy(self, service: str) -> bool:
        try:
            response = await self._client.get(self.url(service, "/healthz"), timeout=5)
        except httpx.TransportError:
            return False
        return response.status_code == 200


# Refusals that mean another service's event has not arrived yet.
CASE_KNOWN = Wait(frozenset({404, 409}), frozenset({"case_id", "legal_basis"}))
CONSENT_KNOWN = Wait(frozenset({409}), frozenset({"consent"}))
