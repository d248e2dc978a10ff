"""The field rules community's inputs share, the councils' tally, the directory's rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from community.domain.concerns import ConcernIn, legal_basis
from community.domain.councils import CouncilIn, tally
from community.domain.resources import (
    ResourceIn,
    WithdrawIn,
    changes,
    check_category,
    check_revisable,
)
from kasane.clock import FixedClock, set_clock
from kasane.errors import Conflict, Invalid, NotFound
from kasane.reference.programs import parts_of, require_program


@pytest.fixture
def pinned() -> Iterator[date]:
    today = date(2025, 6, 1)
    set_clock(FixedClock(today))
    try:
        yield today
    finally:
        set_clock(None)


def _council(**changes: Any) -> dict[str, Any]:
    return {"school_district_code": "01", "held_on": "2025-05-20", "participants": 12} | changes


def test_dates_of_what_happened_follow_the_pinned_clock(pinned: date) -> None:
    assert CouncilIn.model_validate(_council(held_on="2025-06-01")).held_on == pinned
    with pytest.raises(ValidationError) as error:
        CouncilIn.model_validate(_council(held_on="2025-06-02"))
    [problem] = error.value.errors()
    assert problem["loc"] == ("held_on",)
    assert "held_on is in the future" in problem["msg"]
    with pytest.raises(ValidationError) as withdrawn:
        WithdrawIn.model_validate({"withdrawn_on": "2025-06-02"})
    assert withdrawn.value.errors()[0]["loc"] == ("withdrawn_on",)
    assert WithdrawIn.model_validate({"withdrawn_on": None}).withdrawn_on is None


def test_every_input_names_an_unknown_school_district() -> None:
    with pytest.raises(ValidationError) as council:
        CouncilIn.model_validate(_council(school_district_code="99"))
    assert council.value.errors()[0]["loc"] == ("school_district_code",)
    assert "unknown school district code: 99" in council.value.errors()[0]["msg"]
    concern = {"school_district_code": "99", "reporter_type": "resident"}
    with pytest.raises(ValidationError) as reported:
        ConcernIn.model_validate(concern | {"noticed": "x", "location": "y"})
    assert reported.value.errors()[0]["loc"] == ("school_district_code",)


def test_council_tally_counts_meetings_per_district() -> None:
    result = tally([("01", 10), ("02", 5), ("01", 7)])
    assert (result.meetings, result.participants) == (3, 22)
    assert result.by_school_district == {"01": 2, "02": 1}
    assert tally([]).by_school_district == {}


def test_the_operator_owns_a_concern_others_were_queued_it() -> None:
    assert legal_basis("shakyo") == "owner"
    assert legal_basis("houkatsu-02") == "concern_queue"


def test_a_withdrawn_resource_is_not_revised_and_the_same_document_is_no_change() -> None:
    check_revisable("published")
    with pytest.raises(Conflict) as refused:
        check_revisable("withdrawn")
    assert (refused.value.status, refused.value.field) == (409, "status")
    data = ResourceIn.model_validate(
        {"organization": {"name": "サロン"}, "service": {"name": "サロン", "category": "salon"}}
    )
    assert not changes(data.model_dump(mode="json"), data)
    assert changes({**data.model_dump(mode="json"), "capacity": 3}, data)


def test_directory_category_query_is_a_known_code() -> None:
    check_category(None)
    check_category("salon")
    with pytest.raises(Invalid) as refused:
        check_category("bar")
    assert (refused.value.status, refused.value.field) == (422, "category")


def test_program_lookup_refuses_unknown_codes_and_lists_parts() -> None:
    assert require_program("childrearing_hub").operation is None
    assert parts_of("childrearing_hub")
    assert parts_of("kodomo_shokudo_support") == []
    with pytest.raises(NotFound) as refused:
        require_program("nope")
    assert (refused.value.status, refused.value.field) == (404, "program_code")
