"""Every service against its own OpenAPI document, with schemathesis (`--checks all`).

Each service runs as a real process on the test broker and database; schemathesis
generates valid and invalid requests for every operation (bounded: examples per operation,
a timeout per request) with a valid token whose roles fit the service. The run must find
nothing: no server error, no undocumented status or media type, no response outside its
schema, no invalid request accepted. See docs/architecture/input-validation.md.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kasane.settings import Settings
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import prepare_run
from kasane_dev.testing.services import prepare_database, start_child

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


async def _check(
    service: str,
    service_env: dict[str, str],
    settings: Settings,
    token: Callable[..., str],
    folder: Path,
) -> tuple[int | None, str]:
    await prepare_database(service, settings)
    env = {
        **service_env,
        "KASANE_DATABASE_SUFFIX": settings.database_suffix,
        "KASANE_TOPIC_NAMESPACE": settings.topic_namespace,
    }
    child = await start_child(service, free_port(), env, folder / f"{service}.log")
    agency, roles = TOKENS[service]
    command = schemathesis_command(
        child.base_url, token(agency, *roles), folder / f"{service}.junit.xml"
    )
    try:
        # Run in the test's folder: schemathesis keeps a cache (.schemathesis/) in its cwd.
        process = await asyncio.create_subprocess_exec(
            *command,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            cwd=folder,
        )
        output, _ = await process.communicate()
    finally:
        child.kill()
    return process.returncode, output.decode("utf-8", "replace")


# The seven runs share the machine: a few at a time keeps the whole test near two minutes
# on two cores without the services starving each other into request timeouts.
PARALLEL_RUNS = 3


@pytest.mark.timeout(600)
async def test_every_service_meets_its_openapi_contract(
    service_env: dict[str, str],
    settings: Settings,
    token: Callable[..., str],
    tmp_path: Path,
) -> None:
    gate = asyncio.Semaphore(PARALLEL_RUNS)
    # Databases and topics of their own: the fuzzer writes whatever its schemas allow
    # (meetings in 2100, resources at odd hours), which other tests must never see.
    settings = settings.model_copy(
        update={
            "database_suffix": f"{settings.database_suffix}_contract",
            "topic_namespace": f"{settings.topic_namespace}contract.",
        }
    )
    await asyncio.to_thread(prepare_run, settings)

    async def run(service: str) -> tuple[str, int | None, str]:
        async with gate:
            code, text = await _check(service, service_env, settings, token, tmp_path)
            return service, code, text

    # KASANE_CONTRACT_SERVICES=intake,meetings narrows a local run; CI runs all seven.
    chosen = os.environ.get("KASANE_CONTRACT_SERVICES", ",".join(sorted(TOKENS))).split(",")
    results = await asyncio.gather(*(run(s) for s in sorted(TOKENS) if s in chosen))
    failed = {service: text for service, code, text in results if code != 0}
    # Each report names the failure kind and has a curl line to reproduce it.
    report = "\n\n".join(f"=== {s} ===\n{text[-8000:]}" for s, text in failed.items())
    assert not failed, f"schemathesis found problems in {sorted(failed)}:\n{report}"
