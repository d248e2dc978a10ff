import re
from collections.abc import Iterator
from copy import deepcopy
from typing import Any

import pytest
from pydantic import ValidationError

from kasane.reference import (
    SCHOOL_DISTRICTS_FILE_ENV,
    UnknownReferenceCodeError,
    active_school_districts,
    get_school_district,
    is_valid_school_district,
    parse_school_districts,
    school_districts,
)
from kasane.reference._resources import read_packaged_json


@pytest.fixture(autouse=True)
def _packaged_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # These tests are about the shipped file, whatever the developer's environment says.
    monkeypatch.delenv(SCHOOL_DISTRICTS_FILE_ENV, raising=False)
    active_school_districts.cache_clear()
    yield
    active_school_districts.cache_clear()


def _sample() -> dict[str, Any]:
    data: dict[str, Any] = deepcopy(read_packaged_json("school_districts.json"))
    return data


def test_shipped_table_is_marked_sample() -> None:
    table = active_school_districts()
    assert table.sample is True
    assert "SAMPLE" in table.source


def test_codes_are_unique_two_digit_strings() -> None:
    found = [d.code for d in school_districts()]
    assert all(re.fullmatch(r"[0-9]{2}", c) for c in found)
    assert len(found) == len(set(found)) == 46


def test_every_district_belongs_to_one_of_11_areas() -> None:
    table = active_school_districts()
    assert len(table.daily_life_areas) == 11
    assert all(table.districts_in_area(a.code) for a in table.daily_life_areas)
    assert sum(len(table.districts_in_area(a.code)) for a in table.daily_life_areas) == 46


def test_validation() -> None:
    assert is_valid_school_district("01")
    assert is_valid_school_district("46")
    assert not is_valid_school_district("1")  # codes are strings, zero-padded
    assert not is_valid_school_district("47")
    assert get_school_district("01").daily_life_area == "01"
    with pytest.raises(UnknownReferenceCodeError):
        get_school_district("99")


def test_rejects_duplicate_codes() -> None:
    data = _sample()
    data["school_districts"][1]["code"] = data["school_districts"][0]["code"]
    with pytest.raises(ValidationError, match="unique"):
        parse_school_districts(data)


def test_rejects_codes_that_are_not_two_digit_strings() -> None:
    data = _sample()
    data["school_districts"][0]["code"] = "1"
    with pytest.raises(ValidationError, match="code"):
        parse_school_districts(data)


def test_rejects_unknown_area() -> None:
    data = _sample()
    data["school_districts"][0]["daily_life_area"] = "99"
    with pytest.raises(ValidationError, match="daily_life_area"):
        parse_school_districts(data)


def test_official_list_in_the_same_shape_is_accepted() -> None:
    official = {
        "sample": False,
        "source": "市提供",
        "daily_life_areas": [{"code": "01", "name_ja": "第1圏域"}],
        "school_districts": [{"code": "07", "name_ja": "○○校区", "daily_life_area": "01"}],
    }
    table = parse_school_districts(official)
    assert table.is_valid("07")
    assert not table.is_valid("01")


def test_env_variable_selects_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import resources

    packaged = resources.files("kasane.reference").joinpath("school_districts.json")
    monkeypatch.setenv(SCHOOL_DISTRICTS_FILE_ENV, str(packaged))
    active_school_districts.cache_clear()
    assert is_valid_school_district("01")


def test_missing_official_file_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Falling back to the SAMPLE would silently accept invented 校区 codes in production.
    monkeypatch.setenv(SCHOOL_DISTRICTS_FILE_ENV, "/nonexistent/kasane-districts.json")
    active_school_districts.cache_clear()
    with pytest.raises(FileNotFoundError):
        is_valid_school_district("01")
