"""The programs' own decision codes have one home, ``kasane.reference.program_codes``: the
services validate their input against it, and the portal labels with it (no copies)."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

import pytest
from pydantic import BaseModel, ValidationError

from kasane.reference import program_codes
from kasane.reference.program_codes import ProgramList
from meetings.domain.decisions import OUTCOMES_BY_KIND, Outcome
from meetings.domain.gaps import GapIn
from meetings.domain.roles import RoleIn
from outreach.domain import codes as outreach_codes
from outreach.domain.contacts import ContactIn
from participation.domain.placements import PlacementEndIn
from participation.domain.resources import ServiceIn
from referral.api.schemas import CompleteIn, DeclineIn
from referral.domain import codes as referral_codes

UNKNOWN = "no_such_code"


def test_every_list_is_there_with_japanese_labels() -> None:
    for name in get_args(ProgramList):
        found = program_codes.labels(name)
        assert found and all(code.isascii() and label for code, label in found.items()), name
        assert not all(label.isascii() for label in found.values()), name
    assert set(program_codes.meeting_end_reasons()) == {"completed", "suspended"}


def _accepts_each_and_refuses_others(
    model: type[BaseModel], field: str, listed: ProgramList, **other: Any
) -> None:
    for code in program_codes.labels(listed):
        assert getattr(model(**other, **{field: code}), field) == code
    with pytest.raises(ValidationError):
        model(**other, **{field: UNKNOWN})


def test_meetings_validates_roles_gaps_and_outcomes_against_the_reference() -> None:
    _accepts_each_and_refuses_others(RoleIn, "role_code", "meeting_roles", agency_id="aso")
    _accepts_each_and_refuses_others(GapIn, "category_code", "meeting_gap_categories")
    assert set(get_args(Outcome)) == set(program_codes.labels("meeting_outcomes"))
    assert OUTCOMES_BY_KIND == {
        kind: frozenset(outcomes)
        for kind, outcomes in program_codes.meeting_outcomes_by_kind().items()
    }


def test_outreach_validates_its_codes_against_the_reference() -> None:
    base = {"contact_id": "0198a0c2-0000-7000-8000-000000000001", "attempted_on": "2025-05-01"}
    _accepts_each_and_refuses_others(
        ContactIn, "method", "outreach_contact_methods", result="absent", **base
    )
    _accepts_each_and_refuses_others(
        ContactIn, "result", "outreach_contact_results", method="visit", **base
    )
    lists: dict[outreach_codes.CodeList, ProgramList] = {
        "sources": "outreach_sources",
        "stages": "outreach_stages",
        "end_reasons": "outreach_end_reasons",
    }
    for name, listed in lists.items():
        for code in program_codes.labels(listed):
            assert outreach_codes.check(name, code, "コード") == code
        with pytest.raises(ValueError, match="未知の"):
            outreach_codes.check(name, UNKNOWN, "コード")


def test_participation_validates_categories_and_outcomes_against_the_reference() -> None:
    _accepts_each_and_refuses_others(
        ServiceIn, "category", "participation_resource_categories", name="居場所カフェ"
    )
    _accepts_each_and_refuses_others(
        PlacementEndIn,
        "outcome_code",
        "participation_placement_outcomes",
        ended_on=date(2025, 11, 30),
    )


def test_referral_validates_decisions_against_the_reference() -> None:
    _accepts_each_and_refuses_others(DeclineIn, "reason_code", "referral_decline_reasons")
    _accepts_each_and_refuses_others(CompleteIn, "outcome_code", "referral_outcomes")
    revoke = program_codes.labels("referral_revoke_reasons")
    for code in (
        referral_codes.REVOKE_BY_SENDER,
        referral_codes.REVOKE_BY_MANAGER,
        referral_codes.REVOKE_CONSENT_WITHDRAWN,
    ):
        assert code in revoke  # the service sets these itself; the portal labels them
