"""Who may read outreach's aggregates: the operator's staff or the city, nobody else."""

from __future__ import annotations

import pytest
from fastapi import HTTPException

from kasane.auth import Principal
from outreach.api.deps import aggregate_reader


def who(agency: str, *roles: str) -> Principal:
    return Principal(sub="staff-1", agency=agency, roles=frozenset(roles))


@pytest.mark.parametrize(
    "principal",
    [
        who("shakyo", "coordinator"),
        who("shakyo", "manager"),
        who("city-chiiki-fukushi", "city_official"),
    ],
)
def test_the_operator_and_the_city_read_aggregates(principal: Principal) -> None:
    assert aggregate_reader(principal) is principal


@pytest.mark.parametrize(
    "principal",
    [who("jiritsu", "coordinator"), who("aso", "manager"), who("city-chiiki-fukushi", "manager")],
)
def test_another_agencys_staff_may_not(principal: Principal) -> None:
    with pytest.raises(HTTPException) as refused:
        aggregate_reader(principal)
    assert refused.value.status_code == 403
