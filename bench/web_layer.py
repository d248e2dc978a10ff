"""What kasane's HTTP layer costs per request, in-process: no server, no database.

Two routes shaped like intake's hottest ones, with trivial bodies, built by the services' own
app factory (``kasane.web.app.create_app``: admission, idempotency, error handlers, the
app-wide control-character dependency, FastAPI's own middlewares and dependency solving):

- ``POST /consultations``: a ``ConsultationIn`` body, ``CaseWorker``, ``Pool``, ``Events``
  and ``X-Kasane-Purpose`` (as intake's), answering 201 with two ids;
- ``GET /cases/{case_id}``: a UUID path parameter, ``CaseReader``-like role check, answering
  a case-sized JSON object (``response_model=None``, as intake's).

Each is driven ``--n`` times through the ASGI interface on one event loop, and so is the
**baseline**: a bare ASGI callable doing only what the endpoint itself must (read the body,
parse and validate it with the same pydantic model, look the token up in the same verified
token cache, render the same JSON). The CPU per request above the baseline is the layer's.
uvicorn's own part (HTTP parsing, the access-log line) is not in either; ``--access-log``
adds one access-log record per request through uvicorn's logger and kasane's query filter
(to a null handler), as a separate figure.

```
.venv/bin/python -m bench.web_layer --n 20000
```
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, status

from bench.workload import consultation_body
from intake.api.deps import CaseReader, Events, Pool, PurposeHeader
from intake.domain.consultations import ConsultationIn
from kasane.auth.issuers import build_token_verifier
from kasane.auth.keys import ensure_dev_keys
from kasane.auth.roles import CaseWorker
from kasane.auth.tokens import mint_dev_token
from kasane.settings import Settings
from kasane.web import access_log
from kasane.web.app import ServiceSpec, create_app
from kasane.web.events import EventWriter

Message = dict[str, Any]
ASGI = Callable[[dict[str, Any], Callable[[], Awaitable[Message]], Any], Awaitable[None]]

CASE_ID = uuid.UUID("0192f0c8-8f6e-7d2c-9a43-3f1d2c6b7a10")
# The size and shape of a small case as GET /cases/{id} answers it.
CASE_JSON: dict[str, Any] = {
    "case_id": str(CASE_ID),
    "status": "open",
    "lead_agency_id": "houkatsu-01",
    "household_id": None,
    "primary_person_id": None,
    "opened_on": "2024-06-02",
    "closed_on": None,
    "close_reason": None,
    "reopened_on": None,
    "school_district_code": "01",
    "issue_codes": ["elderly_care", "hikikomori", "8050"],
    "between_systems": False,
    "access": {"level": "full", "basis": "lead_agency"},
    "members": [],
    "consultations": [
        {
            "consultation_id": str(uuid.UUID(int=i)),
            "received_at": "2024-06-02T10:00:00+09:00",
            "channel": "visit",
            "age_band": "40s",
            "issue_codes": ["elderly_care"],
        }
        for i in range(3)
    ],
    "consents": [],
    "reopenings": [],
}


def _router() -> APIRouter:
    router = APIRouter()

    @router.post("/consultations", status_code=status.HTTP_201_CREATED)
    async def create_consultation(
        body: ConsultationIn,
        principal: CaseWorker,
        pool: Pool,
        events: Events,
        why: PurposeHeader = None,
    ) -> dict[str, Any]:
        return {"consultation_id": str(CASE_ID), "case_id": str(CASE_ID)}

    @router.get("/cases/{case_id}", response_model=None)
    async def read_case(
        case_id: uuid.UUID, principal: CaseReader, pool: Pool, why: PurposeHeader = None
    ) -> dict[str, Any]:
        return CASE_JSON

    return router


def kasane_app(keys_dir: Path) -> Any:
    """The app factory's stack around the two routes; state as the lifespan would set it."""
    settings = Settings()
    _, public = ensure_dev_keys(keys_dir)
    app = create_app(ServiceSpec(name="intake", title="bench", routers=[_router()]))
    app.state.settings = settings
    app.state.token_verifier = build_token_verifier(settings, public.read_bytes())
    app.state.events = EventWriter("intake", settings.municipality_code, "")
    app.state.pool = object()  # never used by the trivial endpoints
    return app


def bare_app(verifier: Any) -> ASGI:
    """The baseline: what the endpoint itself must do, with no framework around it."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        token = ""
        for name, value in scope["headers"]:
            if name == b"authorization":
                token = value.decode("latin-1").partition(" ")[2]
        principal = verifier.cached(token) or verifier.verify(token)
        assert principal.has_any("counselor", "coordinator", "manager")
        if scope["method"] == "POST":
            message = await receive()
            ConsultationIn.model_validate(json.loads(message["body"]))
            content, code = {"consultation_id": str(CASE_ID), "case_id": str(CASE_ID)}, 201
        else:
            uuid.UUID(scope["path"].rsplit("/", 1)[1])
            content, code = CASE_JSON, 200
        body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
        headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
        ]
        await send({"type": "http.response.start", "status": code, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def _scope(app: Any, method: str, path: str, token: str, body: bytes) -> dict[str, Any]:
    headers = [
        (b"host", b"127.0.0.1:8101"),
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8101),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "state": {},
    }


async def _drive(app: Any, method: str, path: str, token: str, body: bytes, n: int) -> float:
    """CPU seconds per request over ``n`` sequential requests (after 200 warm-up ones)."""
    statuses: list[int] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    for _ in range(200):
        await app(_scope(app, method, path, token, body), receive, send)
    statuses.clear()
    begin = time.process_time()
    for _ in range(n):
        await app(_scope(app, method, path, token, body), receive, send)
    spent = time.process_time() - begin
    if set(statuses) - {200, 201}:
        raise RuntimeError(f"{method} {path}: statuses {sorted(set(statuses))}")
    return spent / n


def _access_log_cost(n: int) -> float:
    """One uvicorn access record per request through kasane's filter, to a null handler."""
    access_log.install()
    logger = logging.getLogger(access_log.ACCESS_LOGGER)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(open(os.devnull, "w"))
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger.addHandler(handler)
    begin = time.process_time()
    for _ in range(n):
        logger.info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:50000", "POST", "/consultations", "1.1", 201
        )
    spent = time.process_time() - begin
    logger.removeHandler(handler)
    handler.stream.close()
    return spent / n


async def measure(n: int, rounds: int, with_access_log: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        keys = Path(tmp)
        app = kasane_app(keys)
        token = mint_dev_token(keys, "bench", "houkatsu-01", ["counselor"])
    bare = bare_app(app.state.token_verifier)
    post_body = json.dumps(consultation_body(0)).encode()
    case_path = f"/cases/{CASE_ID}"
    figures: dict[str, list[float]] = {k: [] for k in ("post", "post_bare", "get", "get_bare")}
    runs = (
        ("post_bare", bare, "POST", "/consultations", post_body),
        ("post", app, "POST", "/consultations", post_body),
        ("get_bare", bare, "GET", case_path, b""),
        ("get", app, "GET", case_path, b""),
    )
    for _ in range(rounds):  # alternating, so drift hits both sides alike
        for name, target, method, path, body in runs:
            figures[name].append(await _drive(target, method, path, token, body, n))
    best = {k: min(v) * 1e6 for k, v in figures.items()}  # µs; the least disturbed round
    result: dict[str, Any] = {
        "requests_per_round": n,
        "rounds": rounds,
        "us_per_request": {k: round(v, 1) for k, v in best.items()},
        "layer_us": {
            "post": round(best["post"] - best["post_bare"], 1),
            "get": round(best["get"] - best["get_bare"], 1),
        },
    }
    if with_access_log:
        result["access_log_us"] = round(_access_log_cost(n) * 1e6, 1)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.web_layer", description=__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="requests per route per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--access-log", action="store_true")
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop (as uvicorn does)")
    args = parser.parse_args(argv)
    run = measure(args.n, args.rounds, args.access_log)
    if args.uvloop:
        import uvloop

        result = uvloop.run(run)
    else:
        result = asyncio.run(run)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
