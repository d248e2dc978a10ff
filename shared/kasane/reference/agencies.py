"""The agencies and parties of the 重層的支援体制 (seed 第2 and 第4).

See docs/architecture/programs-and-services.md.

Ids are stable slugs used in tokens (``agency`` claim), events (``agency_id``) and access
rules; names may change when the city's list is loaded, ids never do.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from kasane.reference._resources import read_packaged_json
from kasane.reference.codes import AgencyKind, Area, Operation
from kasane.reference.domains import Domain
from kasane.reference.errors import UnknownReferenceCodeError

ServiceName = Literal[
    "intake", "referral", "participation", "community", "outreach", "meetings", "indicators"
]


class Agency(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name_ja: str
    # The seed does not name the 11 包括 and 4 基幹 centres one by one.
    name_is_placeholder: bool
    kind: AgencyKind
    domain: Domain | None
    establishment: str | None  # 設置形態 as the seed states it; only given for 相談支援機関
    operation: Operation  # 運営形態
    area: Area  # 対象圏域
    services: tuple[ServiceName, ...]  # deployments this party operates
    default_meeting_participant: bool  # listed under 参加者 in seed 第4
    city_counterpart: str | None  # the city department paired with it in seed 第4
    note: str | None = None
    # 連絡先 (the agency's own phone or address, never a person's): set by the city's import.
    contact: str | None = None


class AgencyTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    note: str
    agencies: tuple[Agency, ...]

    @model_validator(mode="after")
    def _consistent(self) -> AgencyTable:
        ids = [a.id for a in self.agencies]
        if len(ids) != len(set(ids)):
            raise ValueError("agency ids must be unique")
        departments = {a.id for a in self.agencies if a.kind == "city_department"}
        for agency in self.agencies:
            if agency.city_counterpart is not None and agency.city_counterpart not in departments:
                raise ValueError(
                    f"{agency.id}: city_counterpart {agency.city_counterpart!r} "
                    "is not a city department"
                )
        return self


@lru_cache(maxsize=1)
def _table() -> AgencyTable:
    return AgencyTable.model_validate(read_packaged_json("agencies.json"))


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Agency]:
    return {a.id: a for a in _table().agencies}


def all_agencies() -> tuple[Agency, ...]:
    return _table().agencies


def get_agency(agency_id: str) -> Agency:
    try:
        return _by_id()[agency_id]
    except KeyError:
        raise UnknownReferenceCodeError(f"unknown agency id {agency_id!r}") from None


def is_known_agency(agency_id: str) -> bool:
    return agency_id in _by_id()


def consultation_agencies() -> tuple[Agency, ...]:
    """The 17 包括的相談支援 windows (包括 ×11, 基幹 ×4, こども, 自立) that run ``intake``."""
    return tuple(a for a in _table().agencies if a.kind == "consultation_agency")


def default_meeting_participants() -> tuple[Agency, ...]:
    """Seed 第4 参加者 of 重層的支援会議・支援会議.

    Others join per case (その他、ケースに応じて必要だと思われる人), decided by meetings.
    """
    return tuple(a for a in _table().agencies if a.default_meeting_participant)


def operators_of(service: ServiceName) -> tuple[Agency, ...]:
    """Who runs a service, e.g. ``meetings`` → 社協 (多機関協働事業者)."""
    return tuple(a for a in _table().agencies if service in a.services)


# The deployment each program runs in (Program in kasane.events.types): 多機関協働 is the
# meetings service's work. Referrals into a program are received by its operator.
_PROGRAM_SERVICES: dict[str, ServiceName] = {
    "participation": "participation",  # 参加支援
    "outreach": "outreach",  # アウトリーチ等を通じた継続的支援
    "multiagency": "meetings",  # 多機関協働
}


def service_of_program(program: str) -> ServiceName:
    """The service a program runs in, e.g. ``multiagency`` → ``meetings``."""
    try:
        return _PROGRAM_SERVICES[program]
    except KeyError:
        raise UnknownReferenceCodeError(f"unknown program {program!r}") from None


def operator_of_program(program: str) -> str:
    """The agency id that operates a program (社協 for outreach and 多機関協働, ASO for
    参加支援): it receives referrals into the program and owns the plans written there."""
    operators = operators_of(service_of_program(program))
    if len(operators) != 1:  # reference data, not input: a broken table is a bug
        raise RuntimeError(f"program {program} must have exactly one operator")
    return operators[0].id
