"""The shared homes of issue-wide rules: the pinnable clock, domain refusals and their one
error body, the role sets and the operator rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from kasane.auth.dependencies import authenticated
from kasane.auth.principal import Principal
from kasane.auth.roles import CASE_WORK_ROLES, OPERATOR_ROLES, operator_staff
from kasane.clock import JST, FixedClock, set_clock, system_clock, today_jst
from kasane.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from kasane.web.errors import install_error_handlers


def test_today_is_japans_date_not_utcs() -> None:
    # 2025-03-31 20:00 UTC is already 1 April in Japan: a new 年度.
    assert today_jst(datetime(2025, 3, 31, 20, 0, tzinfo=UTC)) == date(2025, 4, 1)


def test_a_pinned_clock_is_what_every_caller_sees_until_released() -> None:
    set_clock(FixedClock(date(2025, 7, 1)))
    try:
        assert system_clock().today() == date(2025, 7, 1)
        assert system_clock().now().tzinfo == JST
    finally:
        set_clock(None)
    assert system_clock().today() == today_jst()


@pytest.mark.parametrize(
    ("error", "status"), [(NotFound, 404), (Forbidden, 403), (Conflict, 409), (Invalid, 422)]
)
def test_domain_refusals_answer_their_status_with_the_one_error_body(
    error: type[DomainError], status: int
) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/x")
    async def refuse() -> None:
        raise error("consent", "有効な本人同意がありません / no valid consent")

    response = TestClient(app).get("/x")
    assert response.status_code == status
    body = response.json()
    assert body["errors"] == [
        {"field": "consent", "reason": "有効な本人同意がありません / no valid consent"}
    ]
    assert " / " in body["message"]


def test_role_sets_do_not_overlap_with_the_citys() -> None:
    assert "city_official" not in CASE_WORK_ROLES + OPERATOR_ROLES
    assert "auditor" not in CASE_WORK_ROLES + OPERATOR_ROLES


CommunityOperator = Annotated[Principal, Depends(operator_staff("community"))]


@pytest.mark.parametrize(
    ("agency", "role", "status"),
    [("shakyo", "coordinator", 200), ("aso", "coordinator", 403), ("kodomo", "manager", 403)],
)
def test_only_the_operator_of_a_service_passes_operator_staff(
    agency: str, role: str, status: int
) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/reports")
    async def reports(principal: CommunityOperator) -> str:
        return principal.agency

    def signed_in() -> Principal:
        return Principal(sub="s", agency=agency, roles=frozenset({role}))

    app.dependency_overrides[authenticated] = signed_in
    response = TestClient(app).get("/reports")
    assert response.status_code == status, response.text
