"""Result of an idempotent start, so callers can report "started" vs "already running"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Started:
    pid: int
    already_running: bool
