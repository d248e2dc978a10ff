"""The programs' own codes have one home, ``kasane.reference.program_codes``: the services
validate their input against it, and the portal labels with it (no copies)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from community.domain import codes as community_codes
from community.domain.concerns import ConcernIn
from community.domain.councils import CouncilIn
from community.domain.resources import Service, check_category
from intake.domain.cases import CaseCloseIn, CaseReopenIn, RecordIn
from intake.domain.consultations import ConsultationIn
from intake.domain.persons import MemberIn, PersonIn
from kasane.errors import Invalid
from kasane.events.types import Code
from kasane.reference import program_codes
from kasane.reference._resources import read_packaged_bytes
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
# A label staff read is Japanese: at least one kana or kanji (not an English word, not blank).
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _refusing_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"program_codes.json repeats {duplicates}"
    return dict(pairs)


def _every_list() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {
        name: program_codes.labels(name) for name in get_args(ProgramList)
    }
    for kind, reasons in program_codes.meeting_end_reasons().items():
        found[f"meeting_end_reasons.{kind}"] = reasons
    return found


def test_the_file_names_no_code_twice() -> None:
    # json.loads keeps the last of two equal keys without a word: read the raw file.
    raw = read_packaged_bytes("program_codes.json").decode("utf-8")
    json.loads(raw, object_pairs_hook=_refusing_duplicate_keys)
    with pytest.raises(AssertionError, match="repeats"):
        json.loads('{"a": "一", "a": "二"}', object_pairs_hook=_refusing_duplicate_keys)


def test_codes_fit_events_and_labels_are_japanese_and_distinct() -> None:
    codes_fit = TypeAdapter(Code)
    for name, listed in _every_list().items():
        assert listed, name
        for code, label in listed.items():
            assert codes_fit.validate_python(code) == code, (name, code)
            assert JAPANESE.search(label) and label == label.strip(), (name, code, label)
        # Two codes under one label could not be told apart on a screen.
        assert len(set(listed.values())) == len(listed), name


def test_every_list_is_there() -> None:
    assert set(_every_list()) == {
        *get_args(ProgramList),
        "meeting_end_reasons.completed",
        "meeting_end_reasons.suspended",
    }


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


def _literal_codes(annotation: Any) -> set[str]:
    """The codes a field's type accepts (``Sex | None`` → Sex's codes)."""
    if get_origin(annotation) is Literal:
        return {str(code) for code in get_args(annotation)}
    return {code for part in get_args(annotation) for code in _literal_codes(part)}


@pytest.mark.parametrize(
    ("model", "field", "listed"),
    [
        (PersonIn, "sex", "intake_sexes"),
        (MemberIn, "relationship", "intake_relationships"),
        (MemberIn, "care_role", "intake_care_roles"),
        (ConsultationIn, "urgency", "intake_urgencies"),
        (RecordIn, "kind", "intake_record_kinds"),
        (CaseCloseIn, "reason", "intake_close_reasons"),
        (CaseReopenIn, "reason", "intake_reopen_reasons"),
    ],
)
def test_intake_accepts_exactly_the_codes_the_reference_labels(
    model: type[BaseModel], field: str, listed: ProgramList
) -> None:
    annotation = model.model_fields[field].annotation
    assert annotation is not None
    # Every code intake accepts has a label, and every labelled code (a form's choice) is
    # accepted; the Literal stays the type, so the 422 for any other code is pydantic's as ever.
    assert _literal_codes(annotation) == set(program_codes.labels(listed))
    field_type = TypeAdapter(annotation)
    for code in program_codes.labels(listed):
        assert field_type.validate_python(code) == code
    with pytest.raises(ValidationError, match="Input should be"):
        field_type.validate_python(UNKNOWN)


def test_community_validates_its_codes_against_the_reference() -> None:
    concern = {"school_district_code": "08", "noticed": "気づき", "location": "場所"}
    _accepts_each_and_refuses_others(
        ConcernIn, "reporter_type", "community_reporter_types", **concern
    )
    _accepts_each_and_refuses_others(
        ConcernIn, "urgency", "community_urgencies", reporter_type="resident", **concern
    )
    _accepts_each_and_refuses_others(
        Service, "category", "community_resource_categories", name="サロン"
    )
    for code in program_codes.labels("community_resource_categories"):
        check_category(code)
    with pytest.raises(Invalid):
        check_category(UNKNOWN)
    council = {"school_district_code": "08", "held_on": "2025-05-01", "participants": 9}
    topics = list(program_codes.labels("community_council_topics"))
    assert CouncilIn(**council, topic_codes=topics).topic_codes == topics
    with pytest.raises(ValidationError, match="unknown council_topics code"):
        CouncilIn(**council, topic_codes=[UNKNOWN])
    # The refusal names community's list and the field in Japanese, as before the move.
    with pytest.raises(
        ValueError, match=r"^未知の通報者の種別 / unknown reporter_types code: police$"
    ):
        community_codes.check("reporter_types", "police", "通報者の種別")
