"""From a database row to one of intake's typed records (``intake.domain.models``)."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

import asyncpg

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


def row_to(cls: type[T], row: asyncpg.Record) -> T:
    """The record's fields, by name; a column the class does not name is left out."""
    return cls(**{f.name: row[f.name] for f in fields(cls)})


def rows_to(cls: type[T], rows: list[asyncpg.Record]) -> list[T]:
    return [row_to(cls, r) for r in rows]


def maybe_row_to(cls: type[T], row: asyncpg.Record | None) -> T | None:
    return None if row is None else row_to(cls, row)
