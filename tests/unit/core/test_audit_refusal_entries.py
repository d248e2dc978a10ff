"""The denied rows for a request refused by role before its record is looked up (pure)."""

from __future__ import annotations

from kasane.audit import REFUSED_ROLE_PURPOSE, refusal_entries
from kasane.auth.principal import Principal

CITY = Principal("c-1", "city-chiiki-fukushi", frozenset({"city_official"}))


def test_one_denied_row_per_personal_record_in_the_path() -> None:
    [entry] = refusal_entries(CITY, "GET", {"case_id": "c-9"})
    assert (entry.actor_agency, entry.record_type, entry.record_id, entry.subject_id) == (
        "city-chiiki-fukushi",
        "case",
        "c-9",
        "c-9",
    )
    assert (entry.action, entry.outcome, entry.legal_basis) == ("read", "denied", None)
    assert entry.purpose == REFUSED_ROLE_PURPOSE


def test_a_change_is_recorded_as_change_and_a_given_purpose_is_kept() -> None:
    [entry] = refusal_entries(
        CITY, "post", {"participant_id": "p-1", "placement_id": "x"}, purpose="確認"
    )
    assert (entry.record_type, entry.action, entry.purpose) == ("participant", "change", "確認")


def test_paths_without_a_personal_record_write_nothing() -> None:
    assert refusal_entries(CITY, "GET", {}) == []
    assert refusal_entries(CITY, "PUT", {"indicator_id": "i", "fiscal_year": "2025"}) == []
