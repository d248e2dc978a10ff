"""docs/asyncapi.json passes the official AsyncAPI parser (@asyncapi/parser from npm).

The parser is installed by `make test-deps` (npm ci in tools/asyncapi-check, from the
committed lock file); this test only runs it. Any error-level diagnostic fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kasane.events.asyncapi import generate
from kasane.settings import REPO_ROOT

CHECK = REPO_ROOT / "tools" / "asyncapi-check"
DOCUMENT = REPO_ROOT / "docs" / "asyncapi.json"


def run_parser(document: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the AsyncAPI check needs node 20+")
    if not (CHECK / "node_modules" / "@asyncapi" / "parser").is_dir():
        pytest.fail("the AsyncAPI parser is not installed: run `make test-deps` (npm ci)")
    return subprocess.run(
        [node, str(CHECK / "check.mjs"), str(document)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_committed_document_passes_the_official_parser() -> None:
    result = run_parser(DOCUMENT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_fails_on_a_dangling_reference(tmp_path: Path) -> None:
    # The bug this guards against: pydantic's "#/$defs/..." pointers left in the document.
    document = generate()
    message = next(iter(document["components"]["messages"].values()))
    message["payload"]["properties"]["payload"] = {"$ref": "#/$defs/RoleAssignment"}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run_parser(path)
    assert result.returncode == 1
    assert "#/$defs/RoleAssignment" in result.stdout


def test_no_pydantic_local_references_remain() -> None:
    assert "#/$defs/" not in json.dumps(generate())
