"""Every service against its own OpenAPI document, with schemathesis (`--checks all`).

Each service runs as a real process on the test broker and database; schemathesis
generates valid and invalid requests for every operation (bounded: examples per operation,
a timeout per request) with a valid token whose roles fit the service. The run must find
nothing: no server error, no undocumented status or media type, no response outside its
schema, no invalid request accepted. See docs/architecture/input-validation.md.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kasane.local.net import free_port
from kasane.settings import Settings
from kasane.testing.services import prepare_database, start_child

pytestmark = pytest.mark.integration

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("st")
EXAMPLES_PER_OPERATION = 25
REQUEST_TIMEOUT_S = 10
SEED = 20261201  # reproducible: the same requests on every run

# A token that can reach most operations of each service (roles fit the agency's kind).
TOKENS: dict[str, tuple[str, tuple[str, ...]]] = {
    "intake": ("jiritsu", ("counselor", "coordinator", "manager")),
    "referral": ("jiritsu", ("counselor", "coordinator", "manager")),
    "participation": ("shakyo", ("coordinator", "manager")),
    "community": ("shakyo", ("coordinator", "manager")),
    "outreach": ("shakyo", ("coordinator", "manager")),
    "meetings": ("shakyo", ("coordinator", "manager")),
    "indicators": ("city-chiiki-fukushi", ("city_official", "auditor", "manager")),
}


def schemathesis_command(base_url: str, token: str, report: Path) -> list[str]:
    return [
        str(SCHEMATHESIS),
        "--config-file",
        str(CONFIG),
        "--no-color",
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES_PER_OPERATION),
        "--request-timeout",
        str(REQUEST_TIMEOUT_S),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--continue-on-failure",
        "--no-shrink",
        "--header",
        f"Authorization: Bearer {token}",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]


@pytest.mark.timeout(240)
@pytest.mark.parametrize("service", sorted(TOKENS))
async def test_service_meets_its_openapi_contract(
    service: str,
    service_env: dict[str, str],
    settings: Settings,
    token: Callable[..., str],
    tmp_path: Path,
) -> None:
    await prepare_database(service, settings)
    child = await start_child(service, free_port(), service_env, tmp_path / f"{service}.log")
    agency, roles = TOKENS[service]
    try:
        process = await asyncio.create_subprocess_exec(
            *schemathesis_command(child.base_url, token(agency, *roles), tmp_path / "junit.xml"),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
    finally:
        child.kill()
    text = output.decode("utf-8", "replace")
    # The summary names each failure kind; the body above it has a curl line to reproduce.
    assert process.returncode == 0, f"schemathesis found problems in {service}:\n{text[-12000:]}"
