"""The seven services as separate uvicorn processes, detached from the CLI.

Each process is its own session (its own process group), so `kasane down` can stop exactly
what `kasane up` started and a Ctrl-C in the terminal does not take the services down.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from kasane_dev.local.errors import LocalInfraError
from kasane_dev.local.logs import tail
from kasane_dev.local.net import port_open
from kasane_dev.local.pids import running_pid, terminate_group, write_pid
from kasane_dev.local.started import Started

HOST = "127.0.0.1"
HEALTH_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


def log_file(state_dir: Path, service: str) -> Path:
    return state_dir / "logs" / f"{service}.log"


def pid_file(state_dir: Path, service: str) -> Path:
    return state_dir / "run" / f"{service}.pid"


def _markers(service: str, port: int) -> tuple[str, ...]:
    # App and port together identify our process even if another uvicorn runs elsewhere.
    return ("uvicorn", f"{service}.app:app", f"--port {port}")


def service_command(service: str, port: int) -> list[str]:
    """uvicorn through this interpreter, so the workspace venv's packages are importable."""
    return [
        sys.executable, "-m", "uvicorn", f"{service}.app:app",
        "--host", HOST, "--port", str(port),
    ]  # fmt: skip


def service_pid(state_dir: Path, service: str, port: int) -> int | None:
    return running_pid(pid_file(state_dir, service), _markers(service, port))


def is_running(state_dir: Path, service: str, port: int) -> bool:
    return service_pid(state_dir, service, port) is not None


def start_service(state_dir: Path, service: str, port: int, env: Mapping[str, str]) -> Started:
    """Start one service detached; env is added on top of the caller's environment.

    Idempotent: a service already running from this state folder is left alone. Does not
    wait for health; see wait_healthy (so all services can boot in parallel).
    """
    existing = service_pid(state_dir, service, port)
    if existing is not None:
        return Started(existing, already_running=True)
    if port_open(HOST, port):
        raise LocalInfraError(
            f"Port {port} on {HOST} is already in use by another process, so {service} "
            f"cannot start; stop that process first."
        )
    log = log_file(state_dir, service)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            service_command(service, port),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
            start_new_session=True,
        )
    write_pid(pid_file(state_dir, service), proc.pid)
    return Started(proc.pid, already_running=False)


def wait_healthy(
    state_dir: Path, service: str, port: int, timeout_s: float = HEALTH_TIMEOUT_S
) -> None:
    """Poll GET /healthz until 200; the error names the log and shows its tail."""
    url = f"http://{HOST}:{port}/healthz"
    log = log_file(state_dir, service)
    deadline = time.monotonic() + timeout_s
    last = "no answer"
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if not is_running(state_dir, service, port):
                raise LocalInfraError(
                    f"{service} exited during start-up; see {log}. Last lines:\n{tail(log)}"
                )
            try:
                response = client.get(url)
                if response.status_code == 200:
                    return
                last = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                last = type(exc).__name__
            time.sleep(0.3)
    raise LocalInfraError(
        f"{service} was not healthy at {url} within {timeout_s:.0f}s ({last}); see {log}. "
        f"Last lines:\n{tail(log)}"
    )


def stop_service(
    state_dir: Path, service: str, port: int, timeout_s: float = STOP_TIMEOUT_S
) -> int | None:
    """Stop the service started from this state folder; returns the pid stopped."""
    pid = service_pid(state_dir, service, port)
    if pid is not None:
        terminate_group(pid, _markers(service, port), timeout_s)
    pid_file(state_dir, service).unlink(missing_ok=True)
    return pid
