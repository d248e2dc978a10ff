"""Person search criteria (pure): folded keys, at least one criterion, 和暦 birth dates."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from intake.domain.search import SearchIn, keys_of
from intake.usecases.listing_audit import listed_ids
from kasane.errors import Invalid
from kasane.ids import uuid7


def test_criteria_fold_to_the_shared_keys() -> None:
    keys = keys_of(
        SearchIn(name="山田　花子", kana="ﾔﾏﾀﾞ ﾊﾅｺ", birth_date="S30.4.1", address="城南町三丁目")
    )
    assert keys.name == "山田花子"
    assert keys.kana == "ヤマダハナコ"
    assert keys.birth_date == date(1955, 4, 1)
    assert keys.address == "城南町3"
    # The duplicate probe takes the ふりがな, birth date and address (not a kanji name).
    assert keys.probe().kana == "ヤマダハナコ"


@pytest.mark.parametrize("body", [{}, {"limit": 5}, {"name": "　"}, {"kana": "・"}])
def test_a_search_without_a_criterion_is_refused_on_the_body(body: dict[str, object]) -> None:
    with pytest.raises(Invalid) as refused:
        keys_of(SearchIn.model_validate(body))
    assert refused.value.field == "body"


def test_kana_must_be_kana() -> None:
    with pytest.raises(Invalid) as refused:
        keys_of(SearchIn(kana="山田"))
    assert refused.value.field == "kana"


@pytest.mark.parametrize("body", [{"birth_date": "平成31年5月1日"}, {"limit": 51}, {"x": 1}])
def test_bad_fields_fail_validation(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SearchIn.model_validate({"kana": "やまだ", **body})


def test_a_list_audit_row_names_the_count_and_the_ids() -> None:
    a, b = uuid7(), uuid7()
    assert listed_ids([a, b]) == f"2:{a},{b}"
    assert listed_ids([]) == "0:"
