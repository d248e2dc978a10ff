"""One fixture layer for every integration test: a real broker and a real database.

Session scoped: the broker and the database server start once per run. Each run gets
unique topic names (a namespace prefix) and unique database names (a suffix), so runs on a
shared broker or server never see each other's data.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from kasane.auth.keys import PRIVATE_NAME, ensure_dev_keys
from kasane.auth.tokens import mint, mint_dev_token
from kasane.settings import REPO_ROOT, Settings, get_settings
from kasane_dev.testing.infra import (
    TestInfra,
    TestKeycloak,
    kafka_env,
    prepare_run,
    test_infra,
    test_keycloak,
)
from kasane_dev.testing.services import RunningService, in_process

RUN_ID = uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def infra() -> Iterator[TestInfra]:
    # One folder per run: two test runs on one machine never share a broker's data folder.
    default = REPO_ROOT / ".kasane" / "test-infra" / RUN_ID
    state = Path(os.environ.get("KASANE_TEST_STATE_DIR", default))
    with test_infra(state) as found:
        yield found
    if state == default:
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session")
def keycloak() -> Iterator[TestKeycloak]:
    """A real Keycloak with the kasane realm, started once per session on first use."""
    state = REPO_ROOT / ".kasane" / "test-infra" / f"{RUN_ID}-keycloak"
    with test_keycloak(state, REPO_ROOT / ".kasane" / "cache") as found:
        yield found
    shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session")
def settings(infra: TestInfra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    state = tmp_path_factory.mktemp("kasane-state")
    env = {
        "KASANE_STATE_DIR": str(state),
        "KASANE_DATABASE_URL": infra.database_url,
        "KASANE_TOPIC_NAMESPACE": f"test{RUN_ID}.",
        "KASANE_DATABASE_SUFFIX": f"_t{RUN_ID}",
        "KASANE_OUTBOX_POLL_INTERVAL_S": "0.5",
        "KASANE_CONSUMER_RETRY_BACKOFF_S": "0.05",
        **kafka_env(infra, state),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    current = get_settings()
    ensure_dev_keys(current.keys_dir)
    # Signing keys, and this run's topics and ACLs (the services may not create topics).
    prepare_run(current)
    yield current
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def service_env(settings: Settings) -> dict[str, str]:
    """The environment a child service process needs to join this test run."""
    return {k: v for k, v in os.environ.items() if k.startswith("KASANE_")}


@pytest.fixture(scope="session")
def token(settings: Settings) -> Callable[..., str]:
    def make(agency: str, *roles: str, sub: str = "staff-test") -> str:
        return mint_dev_token(settings.keys_dir, sub, agency, list(roles) or ["counselor"])

    return make


@pytest.fixture(scope="session")
def auth(token: Callable[..., str]) -> Callable[..., dict[str, str]]:
    def headers(agency: str, *roles: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(agency, *roles)}"}

    return headers


@pytest.fixture(scope="session")
def misfit_auth(settings: Settings) -> Callable[..., dict[str, str]]:
    """Headers for a validly signed token whose claims break the agency rule (an unknown or
    empty agency, a role the agency's kind never has): every service must answer 401."""

    def headers(agency: str, *roles: str) -> dict[str, str]:
        ensure_dev_keys(settings.keys_dir)
        private = (settings.keys_dir / PRIVATE_NAME).read_bytes()
        token = mint(private, sub="staff-misfit", agency=agency, roles=list(roles))
        return {"Authorization": f"Bearer {token}"}

    return headers


ServiceStarter = Callable[[str], Awaitable[RunningService]]


@pytest.fixture(scope="session")
async def services(settings: Settings) -> AsyncIterator[ServiceStarter]:
    """``await services("meetings")``: the service running in-process, once per session
    (database created and migrated, lifespan entered: relay and subscribers running)."""
    running: dict[str, RunningService] = {}
    async with contextlib.AsyncExitStack() as stack:

        async def start(name: str) -> RunningService:
            if name not in running:
                app = importlib.import_module(f"{name}.app").app
                running[name] = await stack.enter_async_context(in_process(name, app, settings))
            return running[name]

        yield start


@pytest.fixture(scope="session")
async def intake(services: ServiceStarter) -> RunningService:
    return await services("intake")


@pytest.fixture(scope="session")
async def indicators(services: ServiceStarter) -> RunningService:
    return await services("indicators")
