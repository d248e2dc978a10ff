"""Running a kasane service for a test: in-process (ASGI) or as a real child process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI

from kasane.db.migrate import migrate_service
from kasane.db.urls import database_url
from kasane.settings import Settings
from kasane_dev.local.postgres import ensure_database


@dataclass
class RunningService:
    name: str
    client: httpx.AsyncClient
    dsn: str


async def prepare_database(name: str, settings: Settings) -> str:
    dsn = database_url(settings.database_url, f"{name}{settings.database_suffix}")
    await ensure_database(settings.database_url, f"{name}{settings.database_suffix}")
    await migrate_service(name, dsn)
    return dsn


@asynccontextmanager
async def in_process(name: str, app: FastAPI, settings: Settings) -> AsyncIterator[RunningService]:
    dsn = await prepare_database(name, settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as client:
            yield RunningService(name, client, dsn)


@dataclass
class ChildService:
    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    async def wait_exit(self, timeout_s: float) -> int:
        for _ in range(int(timeout_s * 10)):
            code = self.process.poll()
            if code is not None:
                return code
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{self.name} did not exit within {timeout_s}s")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


async def start_child(
    name: str, port: int, env: dict[str, str], log_path: Path, timeout_s: float = 60
) -> ChildService:
    """Start ``uvicorn <name>.app:app`` as its own process and wait for /healthz."""
    log = log_path.open("ab")
    # Popen returns once the child exec()s; a test helper can afford that brief block.
    process = subprocess.Popen(  # noqa: ASYNC220
        [
            sys.executable,
            "-m",
            "uvicorn",
            f"{name}.app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    child = ChildService(name, process, f"http://127.0.0.1:{port}", log_path)
    async with httpx.AsyncClient() as client:
        for _ in range(int(timeout_s * 10)):
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited early; see {log_path}")
            try:
                if (await client.get(f"{child.base_url}/healthz")).status_code == 200:
                    return child
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    child.kill()
    raise TimeoutError(f"{name} not healthy within {timeout_s}s; see {log_path}")
