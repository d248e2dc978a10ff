"""Consent validity and its request model."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from intake.domain.consent import ConsentIn
from kasane.clock import today_jst
from kasane.consent import Consent


def consent(**overrides: object) -> Consent:
    values: dict[str, object] = {
        "consent_id": uuid.uuid4(),
        "scope_agencies": frozenset({"kikan-01"}),
        "scope_meeting_types": frozenset({"multilayer_meeting"}),
        "consented_on": date(2025, 4, 1),
        "expires_on": date(2026, 4, 1),
        "withdrawn_on": None,
    }
    values.update(overrides)
    return Consent(**values)  # type: ignore[arg-type]


def test_valid_between_consent_and_expiry() -> None:
    c = consent()
    assert not c.valid_on(date(2025, 3, 31))
    assert c.valid_on(date(2025, 4, 1))
    assert c.valid_on(date(2026, 4, 1))  # the expiry date is the last valid day
    assert not c.valid_on(date(2026, 4, 2))


def test_withdrawal_ends_validity() -> None:
    c = consent(withdrawn_on=date(2025, 6, 1))
    assert c.valid_on(date(2025, 5, 31))
    assert not c.valid_on(date(2025, 6, 1))
    assert not c.covers_agency("kikan-01", date(2025, 6, 2))


def test_covers_only_named_agencies() -> None:
    assert consent().covers_agency("kikan-01", date(2025, 5, 1))
    assert not consent().covers_agency("kikan-02", date(2025, 5, 1))


def body(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "person_id": str(uuid.uuid4()),
        "scope": {"agencies": ["jiritsu", "jiritsu"]},
        "method": "written",
        "consented_on": "2025-04-01",
    }
    base.update(overrides)
    return base


def test_scope_agencies_are_deduplicated() -> None:
    assert ConsentIn.model_validate(body()).scope.agencies == ["jiritsu"]


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"scope": {"agencies": ["nowhere"]}}, ("scope", "agencies")),
        ({"scope": {}}, ("scope",)),
        ({"method": "telepathy"}, ("method",)),
        ({"consented_on": (today_jst() + timedelta(days=1)).isoformat()}, ("consented_on",)),
        ({"expires_on": "2025-03-01"}, ("expires_on",)),
    ],
)
def test_invalid_consents_name_the_field(
    overrides: dict[str, object], loc: tuple[str, ...]
) -> None:
    with pytest.raises(ValidationError) as raised:
        ConsentIn.model_validate(body(**overrides))
    assert raised.value.errors()[0]["loc"][: len(loc)] == loc
