"""Person search (人物検索) criteria, as pure rules: what a search may ask and its keys.

The criteria arrive in a POST body, never a URL (access logs keep URLs). Each given
criterion narrows the search (AND): name and ふりがな match partially on their folded form
(``kasane.kana.fold``, so ひらがな, カタカナ, half-width ｶﾅ, spaces and 中黒 do not matter),
a name typed in kana also finds the ふりがな; the birth date matches exactly (和暦 or 西暦
input); the address matches partially on its normalised form. Each result is also scored
by the duplicate rule (``domain.duplicates``), so staff see at once which of the found
persons is probably the one in front of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from intake.domain.duplicates import Probe
from intake.domain.models import Person
from intake.domain.normalize import normalize_address
from kasane.errors import Invalid
from kasane.kana import fold, is_kana
from kasane.types import Line
from kasane.wareki import StaffDate

MAX_LIMIT = 50


class SearchIn(BaseModel):
    """The body of ``POST /persons/search``: at least one criterion."""

    model_config = ConfigDict(extra="forbid")

    name: Line | None = Field(default=None, min_length=1, max_length=100)
    kana: Line | None = Field(default=None, min_length=1, max_length=100)
    birth_date: StaffDate | None = None
    address: Line | None = Field(default=None, min_length=1, max_length=200)
    limit: int = Field(default=20, ge=1, le=MAX_LIMIT, strict=True)


@dataclass(frozen=True)
class Keys:
    """The folded keys the store compares (None: not asked)."""

    name: str | None
    kana: str | None
    birth_date: date | None
    address: str | None

    def probe(self) -> Probe:
        """The same keys as a duplicate probe (a name in kanji is no duplicate key)."""
        return Probe(kana=self.kana, birth_date=self.birth_date, address=self.address)


def _folded(value: str | None) -> str | None:
    folded = fold(value) if value is not None else None
    return folded or None


def keys_of(criteria: SearchIn) -> Keys:
    """Fold the criteria; refuse a search without any (it would list everyone visible)."""
    if criteria.kana is not None and not is_kana(criteria.kana):
        raise Invalid("kana", "ふりがなはひらがな・カタカナで入力 / kana must be kana")
    address = normalize_address(criteria.address) if criteria.address else None
    keys = Keys(
        name=_folded(criteria.name),
        kana=_folded(criteria.kana),
        birth_date=criteria.birth_date,
        address=address or None,
    )
    if not (keys.name or keys.kana or keys.birth_date or keys.address):
        raise Invalid(
            "body",
            "氏名・ふりがな・生年月日・住所のいずれかを入力してください"
            " / give at least one of name, kana, birth_date, address",
        )
    return keys


@dataclass(frozen=True)
class Found(Person):
    """A person row a search matched, with the keys the duplicate rule compares."""

    kana_normalized: str
    address_normalized: str | None
