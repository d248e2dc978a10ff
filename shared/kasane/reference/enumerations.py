"""Generic lookup for the code lists in ``enumerations.json`` (English code → 日本語ラベル).

Every list follows one pattern so that services, events and screens share one source:
codes are stored and published, labels are shown.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, model_validator

from kasane.reference._resources import read_packaged_json
from kasane.reference.codes import EnumName
from kasane.reference.errors import UnknownReferenceCodeError


class EnumValue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    label_ja: str


class Enumeration(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    label_ja: str
    values: tuple[EnumValue, ...]

    @model_validator(mode="after")
    def _codes_unique(self) -> Enumeration:
        codes = [v.code for v in self.values]
        if len(codes) != len(set(codes)):
            raise ValueError(f"duplicate codes in enumeration {self.label_ja}: {codes}")
        return self


class EnumerationTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    note: str
    enumerations: dict[str, Enumeration]


@lru_cache(maxsize=1)
def _table() -> EnumerationTable:
    return EnumerationTable.model_validate(read_packaged_json("enumerations.json"))


def enumeration_names() -> tuple[str, ...]:
    return tuple(_table().enumerations)


def _enumeration(enum_name: EnumName | str) -> Enumeration:
    try:
        return _table().enumerations[enum_name]
    except KeyError:
        # A wrong list name is a programming error, so it raises rather than answering False.
        raise UnknownReferenceCodeError(
            f"unknown enumeration {enum_name!r}; known: {', '.join(enumeration_names())}"
        ) from None


def labels(enum_name: EnumName) -> dict[str, str]:
    """Code → 日本語ラベル in file order; a fresh dict, so callers cannot alter the cache."""
    return {v.code: v.label_ja for v in _enumeration(enum_name).values}


def codes(enum_name: EnumName) -> tuple[str, ...]:
    return tuple(v.code for v in _enumeration(enum_name).values)


def is_valid(enum_name: EnumName, code: str) -> bool:
    return any(v.code == code for v in _enumeration(enum_name).values)


def label_of(enum_name: EnumName, code: str) -> str:
    for value in _enumeration(enum_name).values:
        if value.code == code:
            return value.label_ja
    raise UnknownReferenceCodeError(f"unknown {enum_name} code {code!r}")


def enumeration_label(enum_name: EnumName) -> str:
    """The list's own Japanese name (e.g. ``channels`` → 相談経路), for form headings."""
    return _enumeration(enum_name).label_ja
