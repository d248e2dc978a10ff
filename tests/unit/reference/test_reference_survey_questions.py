"""The 市民意識調査's questions have one home, ``kasane.reference.survey_questions``: the
indicators service validates counts and CSV columns against it, the portal's entry form asks
the same questions (no copies)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from starlette.datastructures import FormData

from indicators.domain.catalog import INDICATORS
from indicators.domain.surveys import FieldError, QuestionCount, parse_responses_csv
from kasane.reference._resources import read_packaged_bytes
from kasane.reference.survey_questions import survey_questions
from portal.domain import city

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _refusing_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"survey_questions.json repeats a key: {keys}"
    return dict(pairs)


def test_ids_are_unique_codes_and_the_wording_is_japanese() -> None:
    raw = read_packaged_bytes("survey_questions.json").decode("utf-8")
    json.loads(raw, object_pairs_hook=_refusing_duplicate_keys)  # json.loads keeps the last
    questions = survey_questions()
    assert list(questions) == ["mutual_support", "someone_to_ask", "can_counsel"]
    for question_id, wording in questions.items():
        assert re.fullmatch(r"[a-z][a-z_]*", question_id), question_id  # a CSV column name
        assert JAPANESE.search(wording), question_id
    assert len(set(questions.values())) == len(questions)


def test_a_caller_cannot_change_the_list() -> None:
    survey_questions().clear()
    assert len(survey_questions()) == 3


def test_every_survey_indicator_asks_a_listed_question_and_every_question_has_one() -> None:
    asked = {i.question_id for i in INDICATORS if i.question_id is not None}
    assert asked == set(survey_questions())


def test_indicators_accepts_each_listed_question_and_refuses_others() -> None:
    for question_id in survey_questions():
        assert QuestionCount(question_id=question_id, respondents=10, yes=3).yes == 3
    with pytest.raises(ValidationError, match="未知の設問IDです / unknown question id 'x'"):
        QuestionCount(question_id="x", respondents=10, yes=3)
    header = ",".join(survey_questions())
    assert set(parse_responses_csv(f"{header}\n1,0,はい\n")) == set(survey_questions())
    with pytest.raises(FieldError, match="unknown question id 'other_question'"):
        parse_responses_csv("other_question\n1\n")


def test_the_portal_form_sends_every_listed_question_in_a_body_indicators_accepts() -> None:
    today = date(2026, 12, 1)
    form = {"fiscal_year": "2025"}
    for question_id in survey_questions():
        form[city.survey_field(question_id, "respondents")] = "100"
        form[city.survey_field(question_id, "yes")] = "40"
    body, errors = city.survey_body(FormData(form), [fy for fy, _ in city.year_choices(today)])
    assert not errors and body is not None
    assert [r["question_id"] for r in body["results"]] == list(survey_questions())
    assert [QuestionCount(**r).question_id for r in body["results"]] == list(survey_questions())
