"""Pid files and process-group termination for the detached processes we start.

We only ever signal a pid whose /proc cmdline still carries our markers: pids are recycled,
and a stale pid file must never make `kasane down` kill an unrelated process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Sequence
from pathlib import Path


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text(encoding="utf-8").strip())
    except (FileNotFoundError, ValueError):
        return None


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{pid}\n", encoding="utf-8")


def _state(pid: int) -> str | None:
    """One-letter process state from /proc/<pid>/stat ('Z' = zombie), None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The comm field is parenthesised and may contain spaces; the state follows it.
    return stat.rpartition(")")[2].split()[0]


def cmdline(pid: int, settle_s: float = 1.0) -> str | None:
    """The process's command line with NULs as spaces; None if gone or a zombie.

    Right after fork/exec the kernel briefly shows an empty cmdline for a live process
    (observed here: Popen returns before the new image's arguments are in place). Taking
    that as "not running" once made a start-up check kill the broker it had just started,
    so an empty cmdline of a live non-zombie process is re-read for up to settle_s.
    """
    deadline = time.monotonic() + settle_s
    while True:
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            return None
        if raw:
            return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()
        state = _state(pid)
        if state is None or state in ("Z", "X") or time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


def is_ours(pid: int, markers: Sequence[str]) -> bool:
    line = cmdline(pid)
    return line is not None and all(marker in line for marker in markers)


def running_pid(pid_file: Path, markers: Sequence[str]) -> int | None:
    """The pid recorded in pid_file if that process is still the one we started."""
    pid = read_pid(pid_file)
    if pid is not None and is_ours(pid, markers):
        return pid
    return None


def _reap(pid: int) -> None:
    # When the starter is still alive (tests), the child lingers as a zombie until reaped.
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def wait_gone(pid: int, markers: Sequence[str], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        _reap(pid)
        if not is_ours(pid, markers):
            return True
        time.sleep(0.1)
    return not is_ours(pid, markers)


def terminate_group(pid: int, markers: Sequence[str], timeout_s: float) -> None:
    """SIGTERM the process group led by pid, then SIGKILL it after timeout_s.

    Processes are started with start_new_session=True, so pid is also the group id and the
    group holds exactly what we started (e.g. uvicorn workers), nothing else.
    """
    if not is_ours(pid, markers):
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    if wait_gone(pid, markers, timeout_s):
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    wait_gone(pid, markers, 5.0)
