"""The community-building programs of the city's plan (第2-3 (2)(3) of the seed document
shipped in ``docs/seed/jusouteki-shien-taisei.txt``) as a reference catalog: operating form
(運営形態), who reports the activity, and the components/facilities it is reported per.

Shipped as ``programs.json`` beside this module. community checks reports against it and
indicators names the programs in its figures, so it is shared reference data. Codes are
published in events (``ProgramActivityReported``, ``ResourcePublished``), so add programs,
never rename one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kasane.errors import NotFound
from kasane.reference._resources import read_packaged_json
from kasane.reference.agencies import get_agency, is_known_agency

Operation = Literal["delegated", "subsidy", "direct"]  # 委託 / 団体補助 / 直営
OPERATION_LABELS: dict[str, str] = {"delegated": "委託", "subsidy": "団体補助", "direct": "直営"}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Facility(_Frozen):
    code: str
    name_ja: str
    count: int | None  # None: not a fixed number (e.g. one per 校区)
    unit: str
    per_school_district: bool = False


class Component(_Frozen):
    code: str
    name_ja: str


class Program(_Frozen):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_]{0,63}$")
    name_ja: str
    section: str  # the seed document's 第2-3: "2-ア" … "2-エ" (地域づくり支援) or "3" (その他)
    parent: str | None
    operation: Operation | None  # None: an umbrella whose parts have their own forms
    # Who reports its activity: the 委託先, the section running it 直営, or the body that
    # gathers the subsidised groups' figures (団体補助). None for an umbrella.
    operator_agency_id: str | None
    facilities: tuple[Facility, ...]
    components: tuple[Component, ...]

    @property
    def units(self) -> tuple[str, ...]:
        """The codes its activity is reported per: its components (講座, …), then its
        facilities (Ⅰ型/Ⅲ型 centres, …)."""
        return (*(c.code for c in self.components), *(f.code for f in self.facilities))

    def unit_name(self, code: str) -> str:
        names = {c.code: c.name_ja for c in self.components}
        names.update((f.code, f.name_ja) for f in self.facilities)
        return names.get(code, code)

    @model_validator(mode="after")
    def _operated(self) -> Program:
        if (self.operation is None) != (self.operator_agency_id is None):
            raise ValueError(f"{self.code}: an operator exactly when it has an operating form")
        if self.operator_agency_id is not None:
            if not is_known_agency(self.operator_agency_id):
                raise ValueError(f"{self.code}: unknown operator {self.operator_agency_id}")
            kind = get_agency(self.operator_agency_id).kind
            if self.operation == "direct" and kind != "city_department":
                raise ValueError(f"{self.code}: 直営 is run by a city section, not {kind}")
        if len(set(self.units)) != len(self.units):
            raise ValueError(f"{self.code}: component and facility codes must be unique")
        return self


class Catalog(_Frozen):
    source: str
    note: str
    programs: tuple[Program, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        found = [p.code for p in self.programs]
        if len(found) != len(set(found)):
            raise ValueError("program codes must be unique")
        for program in self.programs:
            if program.parent is not None and program.parent not in found:
                raise ValueError(f"{program.code}: unknown parent {program.parent}")
            if program.operation is None and not any(
                p.parent == program.code for p in self.programs
            ):
                raise ValueError(f"{program.code}: no operation and no parts")
        return self


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    return Catalog.model_validate(read_packaged_json("programs.json"))


def is_known_program(code: str) -> bool:
    return any(p.code == code for p in catalog().programs)


def get_program(code: str) -> Program | None:
    return next((p for p in catalog().programs if p.code == code), None)


def require_program(code: str) -> Program:
    program = get_program(code)
    if program is None:
        raise NotFound("program_code", f"未知の事業 / unknown program: {code}")
    return program


def parts_of(code: str) -> list[str]:
    """The codes of an umbrella program's parts (empty for a program run as one)."""
    return [p.code for p in catalog().programs if p.parent == code]
