from collections import Counter

import pytest

from kasane.reference import (
    UnknownReferenceCodeError,
    all_agencies,
    consultation_agencies,
    default_meeting_participants,
    get_agency,
    is_known_agency,
    is_valid,
    operators_of,
)

# Every id docs/architecture/programs-and-services.md names, written out so a renamed id in
# the JSON fails here.
DESIGN_IDS = (
    [f"houkatsu-{i:02d}" for i in range(1, 12)]
    + [f"kikan-{i:02d}" for i in range(1, 5)]
    + [
        "kodomo",
        "jiritsu",
        "shakyo",
        "aso",
        "city-chiiki-fukushi",
        "city-choju",
        "city-shogai",
        "city-seikatsu2",
    ]
)


def test_every_design_id_is_present_and_nothing_else() -> None:
    assert sorted(a.id for a in all_agencies()) == sorted(DESIGN_IDS)


def test_exactly_17_consultation_agencies_split_11_4_1_1() -> None:
    agencies = consultation_agencies()
    assert len(agencies) == 17
    assert Counter(a.domain for a in agencies) == {
        "elderly": 11,
        "disability": 4,
        "child": 1,
        "poverty": 1,
    }


def test_consultation_agencies_follow_seed_table() -> None:
    # seed 第2-1: 運営形態 and 対象圏域 per kind of window.
    houkatsu = get_agency("houkatsu-07")
    assert (houkatsu.operation, houkatsu.area) == ("delegated", "daily_life_area")
    kikan = get_agency("kikan-03")
    assert (kikan.operation, kikan.area) == ("delegated", "multiple_daily_life_areas")
    assert (get_agency("kodomo").operation, get_agency("kodomo").area) == ("direct", "citywide")
    assert (get_agency("jiritsu").operation, get_agency("jiritsu").area) == (
        "delegated",
        "citywide",
    )
    assert all(a.establishment == "基本型（事業・拠点）" for a in consultation_agencies())


def test_only_houkatsu_and_kikan_names_are_placeholders() -> None:
    placeholders = {a.id for a in all_agencies() if a.name_is_placeholder}
    assert placeholders == {a for a in DESIGN_IDS if a.startswith(("houkatsu-", "kikan-"))}
    assert get_agency("houkatsu-01").name_ja == "地域包括支援センター（第1）"


def test_operators_match_design_table() -> None:
    assert [a.id for a in operators_of("participation")] == ["aso"]
    for service in ("community", "outreach", "meetings"):
        assert [a.id for a in operators_of(service)] == ["shakyo"]
    assert [a.id for a in operators_of("indicators")] == ["city-chiiki-fukushi"]
    assert {a.id for a in operators_of("intake")} == {a.id for a in consultation_agencies()}


def test_city_counterparts_pair_as_in_seed_section_4() -> None:
    assert get_agency("houkatsu-11").city_counterpart == "city-choju"
    assert get_agency("kikan-01").city_counterpart == "city-shogai"
    assert get_agency("jiritsu").city_counterpart == "city-seikatsu2"
    assert get_agency("aso").city_counterpart == "city-chiiki-fukushi"


def test_default_meeting_participants_cover_every_seed_group() -> None:
    ids = {a.id for a in default_meeting_participants()}
    assert {"houkatsu-01", "kikan-01", "kodomo", "jiritsu", "shakyo", "aso"} <= ids
    assert {"city-choju", "city-shogai", "city-seikatsu2", "city-chiiki-fukushi"} <= ids


def test_kind_operation_area_codes_are_in_enumerations() -> None:
    for agency in all_agencies():
        assert is_valid("agency_kinds", agency.kind)
        assert is_valid("operations", agency.operation)
        assert is_valid("areas", agency.area)


def test_lookup_known_and_unknown() -> None:
    assert is_known_agency("shakyo")
    assert not is_known_agency("houkatsu-12")
    with pytest.raises(UnknownReferenceCodeError, match="houkatsu-12"):
        get_agency("houkatsu-12")
