"""Reference versions on disk: ``v0001/…json`` + ``manifest.json``, and the ``current`` pointer.

See docs/architecture/reference-data.md. A version is written once and never changed: a
temporary directory is filled, its files made read-only, then renamed to ``vNNNN`` (a rename
never leaves half a version behind); the ``current`` pointer is then replaced atomically
(write a temporary file, ``os.replace``). Readers (``_resources``) see the old version or the
new one, never a mixture.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kasane.reference._resources import (
    CURRENT_POINTER,
    MANIFEST,
    PACKAGED_VERSION,
    ReferenceVersionError,
    read_current,
    read_packaged_bytes,
    school_districts_file,
    sha256_hex,
)
from kasane.reference.importing import DISTRICTS_FILE, MANAGED_FILES, Snapshot

_VERSION = re.compile(r"^v([0-9]{4,})$")


@dataclass(frozen=True)
class SourceFile:
    name: str  # the file's name as given (no directory: paths may name a person's folder)
    sha256: str


def packaged_snapshot() -> Snapshot:
    return {name: json.loads(read_packaged_bytes(name)) for name in MANAGED_FILES}


def current_snapshot(directory: Path) -> tuple[str, Snapshot]:
    """What the services read from ``directory``: its version (verified against the
    manifest) or the packaged data, and the 校区 of $KASANE_SCHOOL_DISTRICTS_FILE when set,
    so an import is checked against the codes the services actually carry."""
    name, snapshot = _version_snapshot(directory)
    override = school_districts_file()
    if override is not None:
        snapshot[DISTRICTS_FILE] = json.loads(override.read_text(encoding="utf-8"))
    return name, snapshot


def _version_snapshot(directory: Path) -> tuple[str, Snapshot]:
    version = read_current(directory)
    if version is None or version.directory is None:
        return PACKAGED_VERSION, packaged_snapshot()
    snapshot: Snapshot = {}
    for name in MANAGED_FILES:
        if name not in version.files:
            snapshot[name] = json.loads(read_packaged_bytes(name))
            continue
        data = (version.directory / name).read_bytes()
        if sha256_hex(data) != version.files[name]:
            raise ReferenceVersionError(
                f"{version.directory / name}: 取り込み後に内容が変更されています"
                " / changed after import"
            )
        snapshot[name] = json.loads(data)
    return version.name, snapshot


def manifest_of(directory: Path, version: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (directory / version / MANIFEST).read_text(encoding="utf-8")
    )
    return data


def next_version(directory: Path) -> str:
    numbers = [
        int(m.group(1))
        for child in (directory.iterdir() if directory.is_dir() else [])
        if (m := _VERSION.match(child.name))
    ]
    return f"v{max(numbers, default=0) + 1:04d}"


def _encode(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_version(
    directory: Path,
    snapshot: Snapshot,
    sources: Sequence[SourceFile],
    imported_at: datetime,
    previous: str,
) -> str:
    """Write ``snapshot`` as the next version and point ``current`` at it; returns its name."""
    directory.mkdir(parents=True, exist_ok=True)
    version = next_version(directory)
    staging = directory / f".{version}.{uuid.uuid4().hex}.tmp"
    staging.mkdir()
    files: dict[str, str] = {}
    for name in MANAGED_FILES:
        data = _encode(snapshot[name])
        (staging / name).write_bytes(data)
        files[name] = sha256_hex(data)
    manifest = {
        "version": version,
        "previous": previous,
        "imported_at": imported_at.isoformat(),
        "sources": [{"name": s.name, "sha256": s.sha256} for s in sources],
        "files": files,
    }
    (staging / MANIFEST).write_bytes(_encode(manifest))
    for child in staging.iterdir():
        child.chmod(0o444)
    try:
        # Fails if another import took the number meanwhile: never overwrite a version.
        staging.rename(directory / version)
    except OSError as exc:
        raise ReferenceVersionError(
            f"{directory / version}: 同時に別の取り込みがありました。やり直してください"
        ) from exc
    pointer = directory / f".{CURRENT_POINTER}.{uuid.uuid4().hex}.tmp"
    with pointer.open("w", encoding="utf-8") as handle:
        handle.write(version + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, directory / CURRENT_POINTER)
    return version
