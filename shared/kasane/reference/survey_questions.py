"""The 市民意識調査's questions (``survey_questions.json``): question id → what is asked.

Three 目標・評価指標 are the share of respondents answering 「そう思う」 to one of them. Two
programs read the list: indicators validates the counts and CSV columns it is given against
it, and the portal lays out its entry form with it (a portal image installs no service
package). So it has one home here. Ids are stored and are CSV column names: they never
change; the wording may.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, field_validator

from kasane.reference._resources import read_packaged_json


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    note: str
    questions: dict[str, str]

    @field_validator("questions")
    @classmethod
    def _not_empty(cls, value: dict[str, str]) -> dict[str, str]:
        if not value or not all(text.strip() for text in value.values()):
            raise ValueError("survey_questions.json: every question needs its wording")
        return value


@lru_cache(maxsize=1)
def _table() -> _Table:
    return _Table.model_validate(read_packaged_json("survey_questions.json"))


def survey_questions() -> dict[str, str]:
    """Question id → 設問文, in the survey's order (a copy: callers may not change it)."""
    return dict(_table().questions)
