"""市民意識調査 input (pure): per-question counts (JSON) or one CSV row per respondent.

Question ids are in catalog.SURVEY_QUESTIONS. A CSV has one column per question id (an
optional ``respondent`` serial column is ignored; it must never hold a name); answers are
``1`` / ``yes`` / ``はい`` (yes), ``0`` / ``no`` / ``いいえ`` (no), empty = no answer (not
counted in that question's respondents).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from indicators.domain.catalog import SURVEY_QUESTIONS
from indicators.domain.fiscal_years import MIN_FISCAL_YEAR
from kasane.clock import system_clock
from kasane.errors import Invalid
from kasane.fiscal_year import fiscal_year_of

YES = frozenset({"1", "yes", "y", "はい", "そう思う"})
NO = frozenset({"0", "no", "n", "いいえ", "そう思わない"})
IGNORED_COLUMNS = frozenset({"respondent"})


class FieldError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def _unknown_question(question_id: str) -> str:
    return (
        f"未知の設問IDです / unknown question id {question_id!r}; "
        f"known: {', '.join(SURVEY_QUESTIONS)}"
    )


def check_fiscal_year(fiscal_year: int, today: date) -> int:
    latest = fiscal_year_of(today)
    if not MIN_FISCAL_YEAR <= fiscal_year <= latest:
        raise ValueError(
            f"年度は{MIN_FISCAL_YEAR}〜{latest}の範囲で指定してください / fiscal year must be "
            f"between {MIN_FISCAL_YEAR} and {latest} (a survey cannot be of a future year)"
        )
    return fiscal_year


class QuestionCount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str
    respondents: Annotated[int, Field(gt=0, description="回答者数")]
    yes: Annotated[int, Field(ge=0, description="「そう思う」等の回答数")]

    @field_validator("question_id")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in SURVEY_QUESTIONS:
            raise ValueError(_unknown_question(value))
        return value

    @field_validator("yes")
    @classmethod
    def _not_more_than_respondents(cls, value: int, info: ValidationInfo) -> int:
        respondents = info.data.get("respondents")
        if respondents is not None and value > respondents:
            raise ValueError(
                f"回答者数（{respondents}）を超えています / yes ({value}) exceeds respondents "
                f"({respondents})"
            )
        return value


class SurveyCounts(BaseModel):
    """Per-question aggregate counts of one year's survey."""

    model_config = ConfigDict(extra="forbid")

    fiscal_year: int
    results: list[QuestionCount] = Field(min_length=1)

    @field_validator("fiscal_year")
    @classmethod
    def _in_range(cls, value: int) -> int:
        # A validator cannot take arguments: "today" comes from the process's (pinnable) clock.
        return check_fiscal_year(value, system_clock().today())

    @field_validator("results")
    @classmethod
    def _unique(cls, value: list[QuestionCount]) -> list[QuestionCount]:
        ids = [r.question_id for r in value]
        if len(ids) != len(set(ids)):
            raise ValueError("設問IDが重複しています / a question id appears twice")
        return value

    def counts(self) -> dict[str, tuple[int, int]]:
        return {r.question_id: (r.respondents, r.yes) for r in self.results}


def _question_columns(rows: list[list[str]]) -> list[tuple[int, str]]:
    """(column index, question id) of the header row; FieldError if the header is bad."""
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise FieldError("csv", "見出し行がありません / the CSV has no header row")
    header = [cell.strip() for cell in rows[0]]
    for name in header:
        if name not in SURVEY_QUESTIONS and name not in IGNORED_COLUMNS:
            raise FieldError("csv.header", _unknown_question(name))
    if len(set(header)) != len(header):
        raise FieldError("csv.header", "列名が重複しています / a column appears twice")
    questions = [(i, name) for i, name in enumerate(header) if name in SURVEY_QUESTIONS]
    if not questions:
        raise FieldError("csv.header", "設問の列がありません / no question column")
    return questions


def _answer(cell: str, field: str) -> bool | None:
    """Yes → True, no → False, empty → None (not counted); FieldError otherwise."""
    answer = unicodedata.normalize("NFKC", cell).strip()
    if answer == "":
        return None
    if answer.lower() in YES:
        return True
    if answer.lower() in NO:
        return False
    raise FieldError(
        field,
        f"回答は1/0（はい/いいえ）で入力してください / answer must be 1 or 0, got {answer!r}",
    )


def parse_responses_csv(text: str) -> dict[str, tuple[int, int]]:
    """question id → (respondents, yes) from one row per respondent; FieldError if bad."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    questions = _question_columns(rows)
    counts = {name: [0, 0] for _, name in questions}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        for i, name in questions:
            yes = _answer(row[i] if i < len(row) else "", f"csv.line{line}.{name}")
            if yes is not None:
                counts[name][0] += 1
                counts[name][1] += int(yes)
    for name, (respondents, _) in counts.items():
        if respondents == 0:
            raise FieldError(f"csv.{name}", "回答がありません / no answers for this question")
    return {name: (n, yes) for name, (n, yes) in counts.items()}


def csv_counts(raw: bytes, fiscal_year: int | None, today: date) -> dict[str, tuple[int, int]]:
    """A CSV upload's counts, or ``Invalid`` naming the field (the year is a query parameter)."""
    if fiscal_year is None:
        raise Invalid("fiscal_year", "CSVには年度の指定が必要です / fiscal_year required")
    try:
        check_fiscal_year(fiscal_year, today)
        return parse_responses_csv(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise Invalid("csv", "UTF-8で保存してください / the CSV must be UTF-8") from exc
    except FieldError as exc:
        raise Invalid(exc.field, exc.reason) from exc
    except ValueError as exc:
        raise Invalid("fiscal_year", str(exc)) from exc
