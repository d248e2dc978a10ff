"""Every service has the one layout (docs/architecture/service-layout.md).

A newcomer finds the home of any rule by its kind: rules in ``domain/``, use cases in
``usecases/``, routes in ``api/``, queries in ``store/``, events in through ``handlers.py``.
This test keeps new services (and old ones) from drifting back into other shapes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kasane.settings import APP_PORTS

REPO = Path(__file__).resolve().parents[3]
PACKAGES = ("domain", "usecases", "api", "store")
FILES = ("app.py", "handlers.py", "__init__.py")
# Top-level modules a service may have besides the layout (its own settings).
ALLOWED_TOP_LEVEL = {*FILES, "settings.py"}
# A web front end (the portal) also has its page templates and the files it serves.
ALLOWED_DIRS = {*PACKAGES, "migrations", "templates", "static", "__pycache__"}
SERVICES = tuple(APP_PORTS)  # the seven services and the portal


def package_of(service: str) -> Path:
    return REPO / "services" / service / service


@pytest.mark.parametrize("service", SERVICES)
def test_service_has_the_layout(service: str) -> None:
    root = package_of(service)
    for part in PACKAGES:
        assert (root / part / "__init__.py").is_file(), f"{service}: no {part}/ package"
    for name in ("app.py", "handlers.py"):
        assert (root / name).is_file(), f"{service}: no {name}"
    assert sorted((root / "migrations").glob("[0-9][0-9][0-9][0-9]_*.sql")), service


@pytest.mark.parametrize("service", SERVICES)
def test_nothing_lives_outside_the_layout(service: str) -> None:
    root = package_of(service)
    stray = sorted(
        p.name
        for p in root.iterdir()
        if (p.is_file() and p.suffix == ".py" and p.name not in ALLOWED_TOP_LEVEL)
        or (p.is_dir() and p.name not in ALLOWED_DIRS)
    )
    assert stray == [], f"{service}: modules outside domain/ usecases/ api/ store/: {stray}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_domain_does_no_io(service: str) -> None:
    forbidden = ("asyncpg", "fastapi", "aiokafka", "faststream", "httpx", "starlette")
    offenders = {
        str(path.relative_to(REPO)): sorted(
            m for m in _imports(path) if m.split(".")[0] in forbidden
        )
        for path in (package_of(service) / "domain").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
