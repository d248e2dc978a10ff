"""What a demo run has done, kept under ``<state_dir>/demo/``.

``<fy>-<seed>.journal.json``: the services' ids of every finished step (demo key → id),
written after each phase and when a run stops; a rerun skips what is in it (resume).
``<fy>-<seed>.json``: the summary, written once the run completed and the figures were
checked; its presence (and one of its ids still answering) means "already loaded".
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def demo_dir(state_dir: Path) -> Path:
    return state_dir / "demo"


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, path)  # never a half-written file after a crash


@dataclass
class Journal:
    path: Path
    meta: dict[str, Any]
    done: dict[str, str] = field(default_factory=dict)
    # Steps sent but not answered when the journal was written: after a hard stop they
    # may have happened without their id being noted (and may happen twice on resume).
    pending: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, state_dir: Path, fiscal_year: int, seed: int, meta: dict[str, Any]) -> Journal:
        path = demo_dir(state_dir) / f"{fiscal_year}-{seed}.journal.json"
        if path.exists():
            data = json.loads(path.read_text("utf-8"))
            done = dict(data.get("done", {}))
            pending = set(data.get("pending", [])) - set(done)
            return cls(path, data.get("meta", meta), done, pending)
        return cls(path, dict(meta))

    def get(self, key: str) -> str | None:
        return self.done.get(key)

    def put(self, key: str, value: str) -> str:
        self.done[key] = value
        self.pending.discard(key)
        return value

    def save(self) -> None:
        data = {"meta": self.meta, "done": self.done, "pending": sorted(self.pending)}
        _write(self.path, data)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def marker_path(state_dir: Path, fiscal_year: int, seed: int) -> Path:
    return demo_dir(state_dir) / f"{fiscal_year}-{seed}.json"


def read_marker(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    return data if isinstance(data, dict) else None


def write_marker(path: Path, summary: dict[str, Any]) -> None:
    _write(path, summary)


def remove_marker(path: Path) -> None:
    path.unlink(missing_ok=True)


def other_markers(state_dir: Path, fiscal_year: int, seed: int) -> list[Path]:
    folder = demo_dir(state_dir)
    if not folder.exists():
        return []
    return sorted(
        p
        for p in folder.glob(f"{fiscal_year}-*.json")
        if not p.name.endswith(".journal.json") and p.name != f"{fiscal_year}-{seed}.json"
    )
