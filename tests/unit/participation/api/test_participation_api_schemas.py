"""What participation's API shows of the store's rows (pure: no app, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from participation.api.schemas import participant_line, participant_view, resource_view
from participation.store.participants import Participant, ParticipantSummary
from participation.store.placements import Placement, Step
from participation.store.plans import Plan
from participation.store.resources import Resource
from participation.usecases.participants import ParticipantFile

STARTED = date(2025, 7, 1)


def a_participant() -> Participant:
    return Participant(
        participant_id=uuid4(),
        case_id=uuid4(),
        referral_id=uuid4(),
        meeting_decision_id=None,
        legal_basis="consent",
        referring_agency_id="houkatsu-01",
        status="active",
        age_band="30-39",
        school_district_code="03",
        started_on=STARTED,
        created_by="staff-1",
    )


def test_the_detail_leaves_out_who_wrote_what() -> None:
    person = a_participant()
    pid = person.participant_id
    file = ParticipantFile(
        participant=person,
        current_stage="ibasho",
        plans=[
            Plan(
                uuid4(),
                pid,
                "w",
                "g",
                [{"stage": "outing", "note": None}],
                "approved",
                STARTED,
                None,
                STARTED,
                uuid4(),
                None,
                "staff-1",
            )
        ],
        placements=[
            Placement(uuid4(), pid, uuid4(), "active", STARTED, None, None, None, "ibasho")
        ],
        steps=[Step(uuid4(), pid, "ibasho", STARTED, "note", "staff-1", datetime.now(UTC))],
    )
    view = participant_view(file).model_dump()
    assert view["participant_id"] == pid and view["current_stage"] == "ibasho"
    assert "referring_agency_id" not in view and "created_by" not in view
    assert view["plans"][0]["planned_steps"] == [{"stage": "outing", "note": None}]
    assert "submitted_by" not in view["plans"][0] and "participant_id" not in view["plans"][0]
    assert view["placements"][0]["category"] == "ibasho"
    assert "participant_id" not in view["placements"][0]
    assert set(view["steps"][0]) == {"step_id", "stage", "reached_on", "note", "recorded_by"}


def test_the_list_shows_no_legal_basis() -> None:
    line = participant_line(
        ParticipantSummary(uuid4(), uuid4(), None, "enrolled", STARTED, None, None, "consent")
    )
    assert "legal_basis" not in line and line["status"] == "enrolled"


def test_resource_capacity_in_force_and_free_places() -> None:
    resource = Resource(
        resource_id=uuid4(), source="community", version=3, category="salon",
        organization=None, service=None, location=None, schedules=[],
        school_district_code="03", program_code=None, age_min=None, age_max=None,
        capacity=8, capacity_override=2, withdrawn_on=None, created_by=None,
        updated_at=datetime.now(UTC), in_use=1,
    )  # fmt: skip
    view = resource_view(resource)
    assert (view.capacity, view.published_capacity, view.free) == (2, 8, 1)
    assert view.category_label is None  # community's own category, kept as published
