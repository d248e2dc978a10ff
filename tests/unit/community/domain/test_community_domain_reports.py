"""Watch-visit and program-activity rules: months, revisions, effective totals."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from community.domain.activity import (
    ActivityIn,
    Figures,
    check_component,
    check_operator,
    check_reportable,
    next_revision,
)
from community.domain.months import fiscal_year_of_month, months_of_fiscal_year, parse_month
from community.domain.watch_visits import Effective, VisitsIn, summarize
from community.domain.watch_visits import next_revision as next_visit_revision
from kasane.errors import Forbidden, Invalid, NotFound
from kasane.reference.programs import catalog, get_program
from kasane.types import check_school_district as check_district

TODAY = date(2025, 7, 15)


def test_current_and_past_months_are_accepted() -> None:
    assert parse_month("2025-07", TODAY) == "2025-07"
    assert parse_month("2024-12", TODAY) == "2024-12"


@pytest.mark.parametrize("text", ["2025-08", "2026-01"])
def test_future_months_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_month(text, TODAY)
    assert (refused.value.status, refused.value.field) == (422, "month")
    assert "future" in refused.value.reason


@pytest.mark.parametrize("text", ["2025-7", "2025-00", "2025-13", "25-07", "1999-12", "2025-07-01"])
def test_malformed_months_are_refused(text: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_month(text, TODAY, field="month")
    assert refused.value.field == "month"


def test_month_belongs_to_the_fiscal_year_starting_in_april() -> None:
    assert fiscal_year_of_month("2025-04") == 2025
    assert fiscal_year_of_month("2026-03") == 2025
    months = months_of_fiscal_year(2025)
    assert (months[0], months[-1], len(months)) == ("2025-04", "2026-03", 12)


def test_negative_visits_are_refused() -> None:
    with pytest.raises(ValidationError) as error:
        VisitsIn(visits=-1)
    assert "negative" in str(error.value)
    assert VisitsIn(visits=0).visits == 0


def test_unknown_school_district_is_refused() -> None:
    assert check_district("01") == "01"
    with pytest.raises(Invalid) as refused:
        check_district("99")
    assert refused.value.field == "school_district_code"


def test_the_same_figure_again_is_not_a_new_revision() -> None:
    assert next_visit_revision(None, 10) == 1
    assert next_visit_revision(Effective(visits=10, revision=1), 10) is None
    assert next_visit_revision(Effective(visits=10, revision=1), 12) == 2
    # Going back to an earlier figure is still a correction of the current one.
    assert next_visit_revision(Effective(visits=12, revision=2), 10) == 3


def test_effective_totals_replace_corrected_months() -> None:
    summary = summarize([("01", "2025-04", 50), ("01", "2025-05", 60), ("02", "2025-04", 7)])
    assert summary.total == 117
    assert summary.by_school_district == {"01": 110, "02": 7}
    assert summary.by_month == {"2025-04": 57, "2025-05": 60}
    with pytest.raises(ValueError, match="two effective figures"):
        summarize([("01", "2025-04", 50), ("01", "2025-04", 60)])


def test_activity_corrections_and_repeats() -> None:
    assert next_revision(None, Figures(2, 20)) == 1
    assert next_revision((Figures(2, 20), 1), Figures(2, 20)) is None
    assert next_revision((Figures(2, 20), 1), Figures(2, 21)) == 2


def test_activity_is_reported_on_a_program_with_an_operating_form() -> None:
    program = get_program("kodomo_shokudo_support")
    assert check_reportable(program, "kodomo_shokudo_support") is program
    with pytest.raises(Invalid) as umbrella:
        check_reportable(get_program("childrearing_hub"), "childrearing_hub")
    assert (umbrella.value.status, umbrella.value.field) == (422, "program_code")
    with pytest.raises(NotFound) as unknown:
        check_reportable(None, "nope")
    assert unknown.value.status == 404


def test_activity_counts_must_not_be_negative() -> None:
    with pytest.raises(ValidationError) as error:
        ActivityIn(month="2025-05", sessions=-1, participants=3)
    assert error.value.errors()[0]["loc"] == ("sessions",)


def test_each_program_is_reported_by_its_operator_only() -> None:
    operated = {p.code: p.operator_agency_id for p in catalog().programs if p.operation}
    assert operated["community_care_prevention"] == "shakyo"  # 委託
    assert operated["activity_support_center"] == "city-shogai"  # 団体補助, via the section
    assert operated["childrearing_support_center"] == "city-chiiki-fukushi"  # 直営
    program = get_program("activity_support_center")
    assert program is not None
    check_operator(program, "city-shogai")
    with pytest.raises(Forbidden) as refused:
        check_operator(program, "shakyo")
    assert (refused.value.status, refused.value.field) == (403, "program_code")


def test_a_program_with_several_units_is_reported_per_unit() -> None:
    courses = get_program("community_care_prevention")
    centres = get_program("activity_support_center")
    single = get_program("jido_center")
    plain = get_program("sasaeau_plan")
    assert courses and centres and single and plain
    assert len(courses.units) == 5 and centres.units == ("type_1", "type_3")
    assert check_component(courses, "doremi_course") == "doremi_course"
    assert check_component(centres, "type_3") == "type_3"
    for program, code in ((courses, None), (centres, "type_2"), (plain, "type_1")):
        with pytest.raises(Invalid) as wrong:
            check_component(program, code)
        assert wrong.value.field == "component_code"
    assert check_component(single, None) is None  # one facility: the whole program
    assert check_component(plain, None) is None
