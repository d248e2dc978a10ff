"""連携機関 as reference data: the shipped table, its checks, and the party helpers."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from kasane.reference import all_agencies, is_known_agency, labels
from kasane.reference._resources import read_packaged_json
from kasane.reference.partners import (
    PartnerTable,
    active_partners,
    all_partners,
    get_partner,
    is_known_party,
    new_work_refusal,
    party_kind,
    party_may_hold_case_access,
    party_name,
)


def _row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "test-partner",
        "name_ja": "テスト連携機関",
        "kind": "other",
        "operation": "other",
        "contact": {"phone": "0942-00-9999", "address": "久留米市（架空）"},
        "may_hold_case_access": False,
        "active": True,
    }
    return {**row, **changes}


def _table(*rows: dict[str, Any]) -> PartnerTable:
    return PartnerTable.model_validate({"source": "test", "note": "test", "partners": rows})


def test_hellowork_is_an_employment_partner_that_may_hold_case_access() -> None:
    hellowork = get_partner("hellowork-kurume")
    assert hellowork.name_ja == "ハローワーク久留米"
    assert labels("partner_kinds")[hellowork.kind] == "就労支援機関"
    assert hellowork.may_hold_case_access and hellowork.active
    assert party_kind("hellowork-kurume") == "partner_organisation"


def test_a_welfare_commissioner_group_may_not_hold_case_access() -> None:
    minsei = [p for p in all_partners() if p.kind == "welfare_commissioners"]
    assert minsei and not any(p.may_hold_case_access for p in minsei)
    assert not party_may_hold_case_access(minsei[0].id)


def test_shipped_ids_never_collide_with_agencies() -> None:
    assert not any(is_known_agency(p.id) for p in all_partners())


def test_every_kind_and_operation_has_a_japanese_label() -> None:
    for partner in all_partners():
        assert partner.kind in labels("partner_kinds")
        assert partner.operation in labels("partner_operations")


def test_shipped_table_reads_through_the_packaged_json() -> None:
    # The city's directory replaces the file behind read_packaged_json, not this module.
    assert PartnerTable.model_validate(read_packaged_json("partners.json")).partners == (
        all_partners()
    )


def test_an_id_of_an_agency_is_refused() -> None:
    with pytest.raises(ValidationError, match="collide with agency ids: shakyo"):
        _table(_row(id="shakyo"))


def test_a_reused_id_is_refused() -> None:
    with pytest.raises(ValidationError, match="unique"):
        _table(_row(), _row(name_ja="別の団体"))


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "school_board"},
        {"operation": "delegated"},
        {"contact": {"phone": "call me", "address": "x"}},
        {"id": "Has Spaces"},
        {"email": "someone@example.invalid"},
    ],
)
def test_bad_rows_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _table(_row(**change))


def test_inactive_partners_stay_known_but_take_no_new_work() -> None:
    inactive = [p for p in all_partners() if not p.active]
    assert inactive, "the sample keeps one inactive partner to show the rule"
    gone = inactive[0].id
    assert is_known_party(gone)
    assert gone not in {p.id for p in active_partners()}
    refusal = new_work_refusal(gone)
    assert refusal is not None and "活動を終えた連携機関" in refusal


def test_new_work_refusal_names_unknown_ids_and_accepts_agencies_and_partners() -> None:
    assert new_work_refusal("no-such-org") == (
        "未知の機関 / unknown agency or partner: no-such-org"
    )
    assert new_work_refusal("hellowork-kurume") is None
    assert all(new_work_refusal(a.id) is None for a in all_agencies())


def test_party_names_and_access() -> None:
    assert party_name("hellowork-kurume") == "ハローワーク久留米"
    assert party_name("shakyo") == get_partner_or_agency_name("shakyo")
    assert party_name("gone-id") == "gone-id"
    assert party_may_hold_case_access("jiritsu")
    assert not party_may_hold_case_access("gone-id")


def get_partner_or_agency_name(agency_id: str) -> str:
    return next(a.name_ja for a in all_agencies() if a.id == agency_id)
