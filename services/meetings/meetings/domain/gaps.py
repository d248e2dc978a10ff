"""社会資源の不足 raised in 重層的支援会議 (社会資源の充足状況の把握と開発)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.types import SchoolDistrictCode, Text
from meetings.domain.codes import GAP_CATEGORIES


class GapIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category_code: str
    school_district_code: SchoolDistrictCode | None = None
    # What is missing, in general terms: never about the person (it is listed city-wide).
    description: Text | None = Field(default=None, max_length=400)

    @field_validator("category_code")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in GAP_CATEGORIES:
            raise ValueError(
                f"未知の分類 / unknown gap category {value!r}; known: {', '.join(GAP_CATEGORIES)}"
            )
        return value


def count_by_category(category_codes: Iterable[str]) -> dict[str, int]:
    """How many gaps of each category, categories in code order."""
    return dict(sorted(Counter(category_codes).items()))
