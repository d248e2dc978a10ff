"""``authenticated`` and ``require_roles``: one dependency node each, with the answers the
former three-node chain (role check → authenticated → HTTPBearer) gave: 401 without a
bearer token or with a bad one, 403 without a role, the ``HTTPBearer`` scheme in the
OpenAPI document, and ``app.dependency_overrides[authenticated]`` still pinning the caller
of a role check."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.security.base import SecurityBase
from starlette.testclient import TestClient

from kasane.auth.dependencies import authenticated, bearer_token, require_roles
from kasane.auth.issuers import MultiIssuerVerifier
from kasane.auth.keys import generate_pem_pair
from kasane.auth.principal import Principal
from kasane.auth.tokens import TokenVerifier, mint
from kasane.web.errors import install_error_handlers

CaseWorker = Annotated[Principal, Depends(require_roles("counselor", "coordinator", "manager"))]
AnyStaff = Annotated[Principal, Depends(authenticated)]


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, bytes]:
    return generate_pem_pair()


def _app(public: bytes) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.state.token_verifier = MultiIssuerVerifier([TokenVerifier(public)])

    @app.get("/cases")
    async def cases(principal: CaseWorker) -> dict[str, str]:
        return {"agency": principal.agency}

    @app.get("/me")
    async def me(principal: AnyStaff) -> dict[str, str]:
        return {"sub": principal.sub}

    return app


def _bearer(private: bytes, agency: str, role: str) -> dict[str, str]:
    token = mint(private, sub="s1", agency=agency, roles=[role])
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("value", "token"),
    [
        (None, None),
        ("", None),
        ("Bearer", None),
        ("Bearer   ", None),
        ("Basic abc", None),
        ("bearer abc", "abc"),
        ("Bearer  abc ", "abc"),
    ],
)
def test_bearer_token_reads_the_header_as_httpbearer_does(
    value: str | None, token: str | None
) -> None:
    assert bearer_token(value) == token


def test_a_role_check_is_one_dependency_node_that_is_the_bearer_scheme() -> None:
    app = FastAPI()

    @app.get("/cases")
    async def cases(principal: CaseWorker) -> str:
        return principal.agency

    route = next(r for r in app.routes if getattr(r, "path", "") == "/cases")
    (node,) = route.dependant.dependencies  # type: ignore[attr-defined]
    assert isinstance(node.call, SecurityBase)
    assert node.dependencies == []


def test_a_case_worker_passes_and_other_roles_get_403(keys: tuple[bytes, bytes]) -> None:
    private, public = keys
    with TestClient(_app(public)) as client:
        ok = client.get("/cases", headers=_bearer(private, "houkatsu-01", "counselor"))
        assert ok.status_code == 200
        assert ok.json() == {"agency": "houkatsu-01"}
        refused = client.get("/cases", headers=_bearer(private, "city-choju", "auditor"))
        assert refused.status_code == 403
        assert refused.json()["errors"] == [
            {
                "field": "role",
                "reason": "権限がありません / requires one of the roles: "
                "counselor, coordinator, manager",
            }
        ]


@pytest.mark.parametrize("path", ["/cases", "/me"])
@pytest.mark.parametrize("header", [None, "Basic abc", "Bearer "])
def test_without_a_bearer_token_the_answer_is_401(
    keys: tuple[bytes, bytes], path: str, header: str | None
) -> None:
    _, public = keys
    headers = {} if header is None else {"Authorization": header}
    with TestClient(_app(public)) as client:
        answer = client.get(path, headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["errors"] == [
        {"field": "authorization", "reason": "認証が必要です / bearer token required"}
    ]


def test_a_token_of_another_key_is_401(keys: tuple[bytes, bytes]) -> None:
    _, public = keys
    other_private, _ = generate_pem_pair()
    with TestClient(_app(public)) as client:
        answer = client.get("/cases", headers=_bearer(other_private, "houkatsu-01", "counselor"))
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["reason"].startswith("無効なトークンです / invalid token")


@pytest.mark.parametrize("asynchronous", [False, True])
def test_overriding_authenticated_pins_the_caller_of_a_role_check(
    keys: tuple[bytes, bytes], asynchronous: bool
) -> None:
    _, public = keys
    app = _app(public)
    city = Principal(sub="s", agency="city-chiiki-fukushi", roles=frozenset({"city_official"}))
    worker = Principal(sub="s", agency="houkatsu-01", roles=frozenset({"counselor"}))

    async def as_city() -> Principal:
        return city

    app.dependency_overrides[authenticated] = as_city if asynchronous else (lambda: city)
    with TestClient(app) as client:
        assert client.get("/cases").status_code == 403  # no token needed: the override
        assert client.get("/me").json() == {"sub": "s"}
        app.dependency_overrides[authenticated] = lambda: worker
        assert client.get("/cases").json() == {"agency": "houkatsu-01"}


def test_openapi_names_the_http_bearer_scheme(keys: tuple[bytes, bytes]) -> None:
    _, public = keys
    document = _app(public).openapi()
    assert document["components"]["securitySchemes"] == {
        "HTTPBearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "JWT of a trusted issuer (city key or OIDC provider)",
        }
    }
    for path in ("/cases", "/me"):
        assert document["paths"][path]["get"]["security"] == [{"HTTPBearer": []}]


def test_require_roles_needs_a_role() -> None:
    with pytest.raises(ValueError, match="at least one role"):
        require_roles()
