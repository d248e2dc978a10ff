"""The referral service, running in-process for this test session."""

from __future__ import annotations

import pytest

from kasane_dev.testing.services import RunningService
from tests.conftest import ServiceStarter


@pytest.fixture(scope="session")
async def referral(services: ServiceStarter) -> RunningService:
    return await services("referral")
