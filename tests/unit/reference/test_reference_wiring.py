"""Every process gets the reference directory: `kasane up` passes it, compose mounts it
read-only; /healthz reports the version a process loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kasane.reference import REFERENCE_DIR_ENV
from kasane.settings import SERVICE_PORTS, WEB_PORTS, Settings
from kasane.web.openapi import HEALTH_SCHEMA
from kasane_dev.local.stack import service_env

ROOT = Path(__file__).resolve().parents[3]


def test_kasane_up_passes_the_reference_dir_under_the_state_dir_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(REFERENCE_DIR_ENV, raising=False)
    env = service_env(Settings(state_dir=tmp_path), "postgresql://x")
    assert env[REFERENCE_DIR_ENV] == str(tmp_path / "reference")
    monkeypatch.setenv(REFERENCE_DIR_ENV, "/srv/city-reference")
    env = service_env(Settings(state_dir=tmp_path), "postgresql://x")
    assert env[REFERENCE_DIR_ENV] == "/srv/city-reference"


def test_compose_mounts_the_reference_dir_read_only_in_every_service_and_the_portal() -> None:
    services: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))[
        "services"
    ]
    for name in [*SERVICE_PORTS, *WEB_PORTS]:
        service = services[name]
        target = service["environment"][REFERENCE_DIR_ENV]
        mounts = [str(v).split(":") for v in service["volumes"]]
        assert ["./.kasane/reference", target, "ro"] in mounts, name


def test_health_documents_the_reference_version() -> None:
    assert "reference_version" in HEALTH_SCHEMA["properties"]
