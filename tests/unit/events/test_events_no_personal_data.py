"""No personal information in events, checked on every contract.

See docs/architecture/events-and-contracts.md.
"""

from __future__ import annotations

import re
import types
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from uuid import UUID

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kasane.events import EventContract, all_contracts

PERSONAL_NAMES = (
    "name",
    "full_name",
    "kana",
    "furigana",
    "address",
    "phone",
    "tel",
    "birth_date",
    "date_of_birth",
    "dob",
    "email",
    "note",
    "notes",
    "narrative",
    "memo",
    "free_text",
    "summary",
)


def _contracts() -> list[type[EventContract]]:
    return [c for group in all_contracts().values() for c in group]


CONTRACT_IDS = [c.event_type for c in _contracts()]


def _is_personal(field_name: str) -> bool:
    """True if any ``_``-separated part (or run of parts) of the name is a personal name.

    ``family_name`` and ``phone_number`` match; ``agency_id`` and ``school_district_code``
    do not. ``consultation_id`` must not match ``tel`` by substring, hence word parts.
    """
    parts = field_name.lower().split("_")
    for size in range(1, len(parts) + 1):
        for start in range(len(parts) - size + 1):
            if "_".join(parts[start : start + size]) in PERSONAL_NAMES:
                return True
    return False


def _optional_inner(annotation: Any) -> Any:
    """``X | None`` / ``Optional[X]`` -> X; anything else unchanged."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _kind(annotation: Any) -> str | None:
    """The allowed kind an annotation belongs to, or None if it is not allowed."""
    inner = _optional_inner(annotation)
    if get_origin(inner) is Annotated:
        inner = get_args(inner)[0]
    if inner is UUID:
        return "uuid"
    if inner is bool:
        return "bool"
    if inner is int:
        return "int"
    if inner in (date, datetime):
        return "temporal"
    if inner is str:
        return "str"
    if get_origin(inner) is Literal and all(isinstance(a, str) for a in get_args(inner)):
        return "str"
    if get_origin(inner) is list:
        (item,) = get_args(inner)
        if _kind(item) == "str":
            return "list[str]"
    return None


def _has_code_constraint(annotation: Any, info: FieldInfo) -> bool:
    """A str that cannot hold free text: a Literal, or a pattern without whitespace."""
    inner = _optional_inner(annotation)
    if get_origin(inner) is Literal:
        return True
    metadata = list(info.metadata)
    if get_origin(inner) is Annotated:
        metadata += list(get_args(inner)[1:])
    for item in metadata:
        pattern = getattr(item, "pattern", None)
        if pattern and not re.search(pattern, "山田 太郎"):
            return True
    return False


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``Model``, ``Model | None`` or ``list[Model]``, if any."""
    inner = _optional_inner(annotation)
    if get_origin(inner) is list:
        (inner,) = get_args(inner)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return inner
    return None


def _leaf_fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, FieldInfo]]:
    """Every field, descending into nested value objects (e.g. a list of role assignments)."""
    leaves = []
    for name, info in model.model_fields.items():
        nested = _nested_model(info.annotation)
        if nested is not None:
            leaves += _leaf_fields(nested, f"{prefix}{name}.")
        else:
            leaves.append((f"{prefix}{name}", info))
    return leaves


def test_there_are_contracts_to_check() -> None:
    contracts = _contracts()
    assert contracts
    assert all(issubclass(c, EventContract) for c in contracts)


def test_the_name_matcher_does_what_it_says() -> None:
    assert _is_personal("name")
    assert _is_personal("family_name")
    assert _is_personal("phone_number")
    assert _is_personal("birth_date")
    assert _is_personal("staff_notes")
    assert not _is_personal("consultation_id")
    assert not _is_personal("school_district_code")
    assert not _is_personal("agency_id")


@pytest.mark.parametrize("contract", _contracts(), ids=CONTRACT_IDS)
def test_no_field_is_named_like_personal_data(contract: type[EventContract]) -> None:
    offending = [
        name
        for name, _ in _leaf_fields(contract)
        if any(_is_personal(part) for part in name.split("."))
    ]
    assert offending == [], f"{contract.event_type} has personal-data fields: {offending}"


@pytest.mark.parametrize("contract", _contracts(), ids=CONTRACT_IDS)
def test_every_field_is_an_id_code_count_flag_date_or_code_list(
    contract: type[EventContract],
) -> None:
    offending = {
        name: info.annotation
        for name, info in _leaf_fields(contract)
        if _kind(info.annotation) is None
    }
    assert offending == {}, f"{contract.event_type} has disallowed field types: {offending}"


@pytest.mark.parametrize("contract", _contracts(), ids=CONTRACT_IDS)
def test_every_str_field_is_constrained_as_a_code(contract: type[EventContract]) -> None:
    loose = []
    for name, info in _leaf_fields(contract):
        kind = _kind(info.annotation)
        if kind == "str" and not _has_code_constraint(info.annotation, info):
            loose.append(name)
        if kind == "list[str]":
            (item,) = get_args(_optional_inner(info.annotation))
            if not _has_code_constraint(item, FieldInfo.from_annotation(item)):
                loose.append(name)
    assert loose == [], f"{contract.event_type}: str fields that accept free text: {loose}"
