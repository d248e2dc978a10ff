"""intake keeps the one service layout: its packages, which layer imports which, and no
module or function growing past what a reader takes in at once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import intake

PACKAGE = Path(intake.__file__).parent
LAYOUT = {
    "__init__.py",
    "app.py",
    "handlers.py",
    "domain",
    "usecases",
    "api",
    "store",
    "migrations",
}
# What each layer may not import: the domain has no I/O and no HTTP; routes reach the
# database only through a use case.
FORBIDDEN = {
    "domain": ("asyncpg", "fastapi", "starlette", "kasane.web", "intake.store", "intake.usecases"),
    "usecases": ("fastapi", "starlette", "intake.api"),
    "api": ("intake.store",),
    "store": ("fastapi", "intake.usecases", "intake.api"),
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_package_has_exactly_the_layouts_parts() -> None:
    parts = {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    assert parts == LAYOUT


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_what_it_may(layer: str) -> None:
    wrong = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in (PACKAGE / layer).rglob("*.py")
        for module in _imports(path)
        if module.startswith(FORBIDDEN[layer])
    }
    assert not wrong


def test_store_functions_return_typed_records_not_asyncpg_rows() -> None:
    raw = {
        f"{path.name}:{node.name}"
        for path in (PACKAGE / "store").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
        and node.returns is not None
        and "asyncpg.Record" in ast.unparse(node.returns)
    }
    assert not raw


def test_no_module_over_300_lines_and_no_function_over_60() -> None:
    too_long = []
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > 300:
            too_long.append(str(path.relative_to(PACKAGE)))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef):
                assert node.end_lineno is not None
                if node.end_lineno - node.lineno + 1 > 60:
                    too_long.append(f"{path.relative_to(PACKAGE)}:{node.name}")
    assert not too_long
