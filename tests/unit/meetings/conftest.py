"""Factories for meetings' unit tests (domain objects, no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kasane.consent import Consent
from kasane.ids import uuid7
from meetings.domain.agenda import AgendaItem
from meetings.domain.meeting import Meeting
from meetings.domain.plans import Plan

DAY = date(2025, 8, 27)


def _meeting(**overrides: Any) -> Meeting:
    fields: dict[str, Any] = {
        "id": uuid7(),
        "meeting_type": "multilayer_meeting",
        "fiscal_year": 2025,
        "meeting_date": DAY,
        "regular_date": DAY,
        "ad_hoc": False,
        "holiday": False,
        "holiday_name": None,
        "status": "scheduled",
        "held_on": None,
    }
    fields.update(overrides)
    return Meeting(**fields)


def _item(**overrides: Any) -> AgendaItem:
    fields: dict[str, Any] = {
        "id": uuid7(),
        "meeting_id": uuid7(),
        "position": 1,
        "case_id": uuid7(),
        "kind": "plan_appropriateness",
        "legal_basis": "consent",
        "consent_id": uuid7(),
        "plan_id": None,
        "presenting_agency_id": "shakyo",
        "summary": None,
        "source": "manual",
        "decided": False,
    }
    fields.update(overrides)
    return AgendaItem(**fields)


def _plan(**overrides: Any) -> Plan:
    fields: dict[str, Any] = {
        "id": uuid7(),
        "case_id": uuid7(),
        "program": "multiagency",
        "status": "submitted",
        "submitted_on": date(2025, 8, 1),
        "review_on": date(2025, 11, 30),
        "approved_on": None,
        "content": {
            "roles": [
                {"agency_id": "houkatsu-03", "role_code": "elderly_care", "lead": True},
                {"agency_id": "aso", "role_code": "participation", "tasks": "居場所の紹介"},
            ]
        },
    }
    fields.update(overrides)
    return Plan(**fields)


def _consent(**overrides: Any) -> Consent:
    fields: dict[str, Any] = {
        "consent_id": uuid7(),
        "case_id": uuid7(),
        "scope_meeting_types": frozenset({"multilayer_meeting"}),
        "scope_agencies": frozenset(),
        "consented_on": date(2025, 8, 1),
        "expires_on": None,
        "withdrawn_on": None,
    }
    fields.update(overrides)
    return Consent(**fields)


@pytest.fixture
def make_meeting() -> Callable[..., Meeting]:
    return _meeting


@pytest.fixture
def make_item() -> Callable[..., AgendaItem]:
    return _item


@pytest.fixture
def make_plan() -> Callable[..., Plan]:
    return _plan


@pytest.fixture
def make_consent() -> Callable[..., Consent]:
    return _consent
