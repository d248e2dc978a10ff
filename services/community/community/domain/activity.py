"""Per-program activity reports (sessions, participants, month): rules, no I/O.

One report per program, component/facility (or the whole program), month and 校区 (or
city-wide); only the program's operator reports it (``check_operator``). Like watch
visits, reporting the same figures again changes nothing, and different figures correct
the report: the same ``report_id`` is published again, so a consumer keeps the latest
event per report_id.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.errors import Forbidden, Invalid, NotFound
from kasane.reference.programs import Program
from kasane.types import SchoolDistrictCode

MAX_COUNT = 1_000_000


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(description="yyyy-mm")
    school_district_code: SchoolDistrictCode | None = None  # None: city-wide
    component_code: str | None = Field(
        default=None,
        max_length=64,
        description="事業の構成（講座・施設の種別）: the program's components or facilities",
    )
    sessions: int = Field(description="実施回数")
    participants: int = Field(description="参加者数（延べ）")

    @field_validator("sessions", "participants")
    @classmethod
    def _count(cls, value: int) -> int:
        if value < 0:
            raise ValueError("0以上の数 / must not be negative")
        if value > MAX_COUNT:
            raise ValueError(f"大きすぎます / above {MAX_COUNT}")
        return value


@dataclass(frozen=True)
class Figures:
    sessions: int
    participants: int


def check_reportable(program: Program | None, code: str) -> Program:
    if program is None:
        raise NotFound("program_code", f"未知の事業 / unknown program: {code}")
    if program.operation is None:
        raise Invalid(
            "program_code",
            f"{program.name_ja}は個々の事業ごとに報告します / report on its parts, not {code}",
        )
    return program


def next_revision(current: tuple[Figures, int] | None, new: Figures) -> int | None:
    """The new revision, or None when the figures repeat the effective ones."""
    if current is None:
        return 1
    figures, revision = current
    return None if figures == new else revision + 1


def check_component(program: Program, component_code: str | None) -> str | None:
    """The unit a report is for. A program with several components or facilities (the five
    講座, Ⅰ型/Ⅲ型) is reported per unit, so its figures can be told apart; one with a single
    unit or none may be reported as a whole."""
    units = program.units
    if component_code is None:
        if len(units) > 1:
            raise Invalid(
                "component_code",
                f"{program.name_ja}は構成（{'・'.join(units)}）ごとに報告します"
                " / report per component or facility",
            )
        return None
    if component_code not in units:
        known = "・".join(units) or "なし"
        raise Invalid(
            "component_code",
            f"{program.name_ja}の構成ではありません（{known}） / not a component of"
            f" {program.code}: {component_code}",
        )
    return component_code


def check_operator(program: Program, agency_id: str) -> None:
    """Only the program's operator reports its activity (its 運営形態 says who that is)."""
    if agency_id != program.operator_agency_id:
        raise Forbidden(
            "program_code",
            f"{program.name_ja}の運営機関ではありません / only the operator of {program.code}"
            " reports its activity",
        )
