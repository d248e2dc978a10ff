"""Who may call community: the operator (社協) writes; its staff or the city read aggregates."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from community.api.deps import AggregateReader, CommunityOperator, CommunityStaff
from kasane.auth import Principal
from kasane.auth.dependencies import authenticated
from kasane.web.errors import install_error_handlers


def _client(agency: str, role: str) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/write")
    async def write(principal: CommunityOperator) -> str:
        return principal.agency

    @app.get("/take")
    async def take(principal: CommunityStaff) -> str:
        return principal.agency

    @app.get("/aggregates")
    async def aggregates(principal: AggregateReader) -> str:
        return principal.agency

    def signed_in() -> Principal:
        return Principal(sub="s", agency=agency, roles=frozenset({role}))

    app.dependency_overrides[authenticated] = signed_in
    return TestClient(app)


@pytest.mark.parametrize(
    ("agency", "role", "write", "take", "aggregates"),
    [
        ("shakyo", "coordinator", 200, 200, 200),
        ("shakyo", "manager", 200, 200, 200),
        ("aso", "coordinator", 403, 403, 403),
        ("houkatsu-01", "counselor", 403, 403, 403),
        ("city-chiiki-fukushi", "city_official", 403, 403, 200),
        ("city-chiiki-fukushi", "auditor", 403, 403, 403),
    ],
)
def test_roles_and_operator(agency: str, role: str, write: int, take: int, aggregates: int) -> None:
    client = _client(agency, role)
    assert client.get("/write").status_code == write
    assert client.get("/take").status_code == take
    assert client.get("/aggregates").status_code == aggregates
