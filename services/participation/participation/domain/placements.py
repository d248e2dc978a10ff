"""Placements (受け入れ): a participant at a resource, from a start to an outcome. No I/O."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from pydantic import field_validator, model_validator

from kasane.errors import Conflict, NotFound
from kasane.types import IsoDate
from participation.domain import codes
from participation.domain.participants import Body

T = TypeVar("T")


class PlacementIn(Body):
    resource_id: UUID
    started_on: IsoDate
    planned_end_on: IsoDate | None = None

    @model_validator(mode="after")
    def _order(self) -> PlacementIn:
        if self.planned_end_on is not None and self.planned_end_on < self.started_on:
            raise ValueError("終了予定日が開始日より前です / planned_end_on before started_on")
        return self


class PlacementEndIn(Body):
    ended_on: IsoDate
    outcome_code: str

    @field_validator("outcome_code")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in codes.PLACEMENT_OUTCOMES:
            raise ValueError(f"未知の結果コード / unknown outcome code: {value}")
        return value


def placement_found(placement: T | None) -> T:
    if placement is None:
        raise NotFound("placement_id", "受け入れが見つかりません / placement not found")
    return placement


def check_placement_active(status: str) -> None:
    if status != "active":
        raise Conflict("status", "終了済みの受け入れです / the placement has ended")
