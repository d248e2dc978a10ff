"""Reads the reference JSON files: the city's imported version, else the packaged default.

One place decides where every reference table comes from (docs/architecture/reference-data.md):

* ``$KASANE_REFERENCE_DIR`` set, and a version imported there (``kasane reference import``):
  the ``current`` pointer names a version directory (``v0001``, …) whose ``manifest.json``
  lists the files it holds with their sha256. A file listed there is read from it (and
  refused if its bytes no longer match the manifest: versions are immutable).
* Otherwise, and for every file a version does not hold (e.g. ``issue_codes.json``), the file
  shipped inside this package, read through ``importlib.resources`` so it is found the same
  way from a source checkout, an editable install and a wheel inside a container.

The pointer is read once per process, so all tables of one process come from one version;
services are restarted after an import (see README.md, "restart after import").
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

# Read here rather than through kasane.settings so this package stays a leaf without
# pydantic-settings; the variable still follows the KASANE_* convention.
REFERENCE_DIR_ENV = "KASANE_REFERENCE_DIR"
# The older way to give the city's 校区 (one JSON file); still honoured, and it wins over the
# 校区 of an imported version, so a deployment that set it keeps its table until it imports.
SCHOOL_DISTRICTS_FILE_ENV = "KASANE_SCHOOL_DISTRICTS_FILE"
CURRENT_POINTER = "current"
MANIFEST = "manifest.json"
PACKAGED_VERSION = "packaged"


class ReferenceVersionError(RuntimeError):
    """The reference directory is broken (a pointer to nothing, a file changed after import).

    Raised rather than falling back to the packaged data: a service quietly validating
    against other codes than the city imported would be worse than one that does not start.
    """


@dataclass(frozen=True)
class LoadedVersion:
    """The version this process reads: its name and directory (``None`` = packaged)."""

    name: str
    directory: Path | None
    files: dict[str, str]  # file name -> sha256 hex, from the manifest


def reference_dir_from_env() -> Path | None:
    value = os.environ.get(REFERENCE_DIR_ENV, "").strip()
    return Path(value) if value else None


def read_current(directory: Path) -> LoadedVersion | None:
    """The version ``directory/current`` points at, or None when nothing was imported yet."""
    pointer = directory / CURRENT_POINTER
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    version_dir = directory / name
    manifest_path = version_dir / MANIFEST
    if not name or not manifest_path.is_file():
        raise ReferenceVersionError(
            f"{pointer}: 参照先の版 {name!r} に {MANIFEST} がありません / "
            "the current pointer names no imported version"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError:
        manifest = None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if (
        not isinstance(manifest, dict)
        or manifest.get("version") != name
        or not isinstance(files, dict)
    ):
        raise ReferenceVersionError(f"{manifest_path}: 版の記録が不正です / malformed manifest")
    return LoadedVersion(name, version_dir, {str(k): str(v) for k, v in files.items()})


@lru_cache(maxsize=1)
def loaded_version() -> LoadedVersion:
    directory = reference_dir_from_env()
    found = read_current(directory) if directory is not None else None
    return found if found is not None else LoadedVersion(PACKAGED_VERSION, None, {})


def school_districts_file() -> Path | None:
    value = os.environ.get(SCHOOL_DISTRICTS_FILE_ENV, "").strip()
    return Path(value) if value else None


def reference_version() -> str:
    """``v0003`` (an imported version) or ``packaged``: what ``/healthz`` reports, with
    ``+KASANE_SCHOOL_DISTRICTS_FILE`` when that file overrides the version's 校区."""
    name = loaded_version().name
    return f"{name}+{SCHOOL_DISTRICTS_FILE_ENV}" if school_districts_file() else name


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_packaged_bytes(name: str) -> bytes:
    return resources.files(__package__).joinpath(name).read_bytes()


def read_packaged_json(name: str) -> Any:
    """The JSON file ``name`` of the version in force (imported, else packaged).

    Every reference module reads its file through here, so any file name (including kinds
    added later) is served from an imported version when that version holds it.
    """
    version = loaded_version()
    if version.directory is not None and name in version.files:
        data = (version.directory / name).read_bytes()
        if sha256_hex(data) != version.files[name]:
            raise ReferenceVersionError(
                f"{version.directory / name}: 取り込み後に内容が変更されています "
                "(sha256 が manifest.json と一致しません) / changed after import"
            )
    else:
        data = read_packaged_bytes(name)
    return json.loads(data.decode("utf-8"))


def _cached_tables() -> tuple[Any, ...]:
    # Imported here: the table modules import this one. A new reference kind adds its
    # cached loader(s) here, so tests and preload see it.
    from kasane.reference.agencies import _by_id as agencies_by_id
    from kasane.reference.agencies import _table as agencies_table
    from kasane.reference.centre_areas import _table as centre_areas_table
    from kasane.reference.enumerations import _table as enumerations_table
    from kasane.reference.issue_codes import _by_code as issue_codes_by_code
    from kasane.reference.issue_codes import _table as issue_codes_table
    from kasane.reference.partners import _by_id as partners_by_id
    from kasane.reference.partners import _table as partners_table
    from kasane.reference.program_codes import _table as program_codes_table
    from kasane.reference.programs import catalog
    from kasane.reference.school_districts import active_school_districts
    from kasane.reference.survey_questions import _table as survey_questions_table

    # Order matters for preload: 担当圏域 are checked against agencies and 圏域.
    return (
        agencies_table,
        agencies_by_id,
        enumerations_table,
        issue_codes_table,
        issue_codes_by_code,
        catalog,
        active_school_districts,
        centre_areas_table,
        # Partners are checked against agencies (no shared id), so after them.
        partners_table,
        partners_by_id,
        program_codes_table,
        survey_questions_table,
    )


def clear_caches() -> None:
    """Forget the loaded version and every table read from it (tests; a process reads once)."""
    loaded_version.cache_clear()
    for cached in _cached_tables():
        cached.cache_clear()


def preload() -> str:
    """Read and validate every reference table once (at boot); returns the version's name."""
    for cached in _cached_tables():
        cached()
    return reference_version()
