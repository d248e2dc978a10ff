"""Social-resource directory entries (居場所, サロン, 子ども食堂, 通いの場, …), HSDS-shaped.

Open Referral's Human Services Data Specification splits an entry into organization,
service, location, schedule and eligibility; we keep that shape so the directory can be
exported to other HSDS tools. Directory entries describe places, not people.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from community.domain import codes
from kasane.errors import Conflict, Invalid, NotFound
from kasane.events.community import ResourcePublished
from kasane.hsds import Eligibility, Location, Organization, Schedule, Strict
from kasane.reference.programs import is_known_program
from kasane.types import IsoDate, Line, NotFuture, Text

WITHDRAWN = "withdrawn"


class Service(Strict):
    name: Line = Field(min_length=1, max_length=200)
    description: Text | None = Field(default=None, max_length=4000)
    category: str
    program_code: str | None = None  # the community-building program it belongs to
    fees_description: Text | None = Field(default=None, max_length=500)
    application_process: Text | None = Field(default=None, max_length=1000)

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return codes.check("resource_categories", value, "資源の種類")

    @field_validator("program_code")
    @classmethod
    def _program(cls, value: str | None) -> str | None:
        if value is not None and not is_known_program(value):
            raise ValueError(f"未知の事業コード / unknown program code: {value}")
        return value


class ResourceIn(Strict):
    organization: Organization
    service: Service
    location: Location = Field(default_factory=Location)
    schedules: list[Schedule] = Field(default_factory=list, max_length=20)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    capacity: int | None = Field(default=None, ge=0, le=100_000, description="定員")


def published(resource_id: UUID, version: int, data: ResourceIn) -> ResourcePublished:
    """The event: codes, ids, capacity and ages only; names and addresses stay here."""
    return ResourcePublished(
        resource_id=resource_id,
        version=version,
        category=data.service.category,
        school_district_code=data.location.school_district_code,
        program_code=data.service.program_code,
        capacity=data.capacity,
        age_min=data.eligibility.age_min,
        age_max=data.eligibility.age_max,
    )


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    withdrawn_on: Annotated[IsoDate, NotFuture("廃止日", "withdrawn_on")] | None = (
        None  # 既定: 今日
    )


def not_found(resource_id: UUID) -> NotFound:
    return NotFound("resource_id", f"見つかりません / no resource {resource_id}")


def check_revisable(status: str) -> None:
    if status == WITHDRAWN:
        raise Conflict("status", "廃止済みです / the resource was withdrawn")


def changes(current: dict[str, Any], data: ResourceIn) -> bool:
    """Publishing the same document again is no new version (a retried PUT)."""
    return current != data.model_dump(mode="json")


def check_category(code: str | None) -> None:
    """For the directory's query parameter (the body's category is checked by its model)."""
    if code is not None and not codes.is_valid("resource_categories", code):
        raise Invalid("category", f"未知の資源の種類 / unknown category: {code}")
