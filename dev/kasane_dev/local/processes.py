"""The seven services as separate uvicorn processes, detached from the CLI.

Each process is its own session (its own process group), so `kasane down` can stop exactly
what `kasane up` started and a Ctrl-C in the terminal does not take the services down.

A service may run as several instances (`kasane up --replicas N`, docs/architecture/
replicas.md): the first on the service's own port, replica k (1, 2, …) on that port +
k × ``REPLICA_PORT_STEP``. Each instance has its own pid and log file, named
``<service>`` for the first and ``<service>-<port>`` for the others.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from kasane.settings import APP_PORTS
from kasane_dev.local.errors import LocalInfraError
from kasane_dev.local.logs import tail
from kasane_dev.local.net import port_open
from kasane_dev.local.pids import running_pid, terminate_group, write_pid
from kasane_dev.local.started import Started

HOST = "127.0.0.1"
# Successive ports of one service's replicas: 8101, 8201, 8301 (the services' own ports
# are consecutive, so +1 would collide with the next service).
REPLICA_PORT_STEP = 100
# What `--replicas` multiplies: services that are correct with N instances on one database
# and one consumer group (docs/architecture/replicas.md). The others run once.
REPLICATED = ("intake", "indicators")
HEALTH_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


def replica_ports(base_port: int, replicas: int) -> list[int]:
    """The ports of ``replicas`` instances of a service whose own port is ``base_port``."""
    return [base_port + k * REPLICA_PORT_STEP for k in range(max(1, replicas))]


def instance_name(service: str, port: int) -> str:
    """``intake`` for the instance on intake's own port, ``intake-8201`` for a replica."""
    return service if port == APP_PORTS.get(service) else f"{service}-{port}"


def log_file(state_dir: Path, service: str, port: int | None = None) -> Path:
    name = service if port is None else instance_name(service, port)
    return state_dir / "logs" / f"{name}.log"


def pid_file(state_dir: Path, service: str, port: int | None = None) -> Path:
    name = service if port is None else instance_name(service, port)
    return state_dir / "run" / f"{name}.pid"


def replica_ports_started(state_dir: Path, service: str) -> list[int]:
    """Ports of ``service``'s extra replicas that have a pid file (running or not)."""
    found = []
    for path in (state_dir / "run").glob(f"{service}-*.pid"):
        port = path.stem.removeprefix(f"{service}-")
        if port.isdigit():
            found.append(int(port))
    return sorted(found)


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
    return running_pid(pid_file(state_dir, service, port), _markers(service, port))


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
    log = log_file(state_dir, service, port)
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
    write_pid(pid_file(state_dir, service, port), proc.pid)
    return Started(proc.pid, already_running=False)


def wait_healthy(
    state_dir: Path, service: str, port: int, timeout_s: float = HEALTH_TIMEOUT_S
) -> None:
    """Poll GET /healthz until 200; the error names the log and shows its tail."""
    url = f"http://{HOST}:{port}/healthz"
    log = log_file(state_dir, service, port)
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
    pid_file(state_dir, service, port).unlink(missing_ok=True)
    return pid
