"""The resource directory (Open Referral HSDS shape) and its capacity rules, no I/O."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from pydantic import Field, field_validator

from kasane.errors import Conflict, NotFound
from kasane.hsds import Eligibility, Location, Organization, Schedule, Strict
from kasane.types import Line, Text
from participation.domain.codes import OWN_CATEGORIES

T = TypeVar("T")


class ServiceIn(Strict):
    name: Line = Field(min_length=1, max_length=200)
    description: Text | None = Field(default=None, max_length=2000)
    category: str

    @field_validator("category")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in OWN_CATEGORIES:
            raise ValueError(f"未知の分類 / unknown category: {value}")
        return value


class ResourceIn(Strict):
    """POST /resources: one of アソウ's own places (居場所, 就労体験, 就労支援, 住まい …)."""

    # HSDS parts shared with community's directory; アソウ's own categories are its own.
    organization: Organization
    service: ServiceIn
    location: Location = Field(default_factory=Location)
    schedules: list[Schedule] = Field(default_factory=list, max_length=14)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    capacity: int | None = Field(default=None, ge=0, le=10_000)


class CapacityIn(Strict):
    capacity: int | None = Field(ge=0, le=10_000)


def effective_capacity(capacity: int | None, override: int | None) -> int | None:
    """アソウ's own figure wins over the published one; None means no stated limit."""
    return override if override is not None else capacity


def free_places(capacity: int | None, in_use: int) -> int | None:
    return None if capacity is None else max(capacity - in_use, 0)


def check_room(capacity: int | None, in_use: int) -> None:
    if capacity is not None and in_use >= capacity:
        raise Conflict(
            "resource_id",
            f"定員に達しています（定員{capacity}） / the resource is full (capacity {capacity})",
        )


def check_new_capacity(capacity: int | None, in_use: int) -> None:
    if capacity is not None and capacity < in_use:
        raise Conflict(
            "capacity",
            f"利用中の{in_use}人を下回る定員は設定できません / "
            f"capacity below the {in_use} current placements",
        )


def check_open(withdrawn_on: date | None) -> None:
    """A withdrawn resource takes no new placement (its listing stays for the history)."""
    if withdrawn_on is not None:
        raise Conflict("resource_id", "掲載終了した社会資源です / the resource was withdrawn")


def resource_found(resource: T | None) -> T:
    if resource is None:
        raise NotFound("resource_id", "社会資源が見つかりません / resource not found")
    return resource
