"""A fact: one row of ``facts`` per event, keyed by its event id (traceability).

The table's columns are generic (one table for every contract keeps the schema and the
rebuild simple); what a column means for one event is said by that event's ``to_fact``
function in this package (one module per producing service). Always: ``on_date`` (the
business date that decides the 年度) and ``subject_id`` (the aggregate the event is about).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, TypedDict, TypeVar, Unpack
from uuid import UUID

from indicators.domain.fiscal_years import jst_date
from kasane.events.envelope import Envelope, EventContract
from kasane.fiscal_year import fiscal_year_of

__all__ = ["COLUMNS", "Columns", "Consultation", "Fact", "FactRules", "jst_date", "month_start"]


class Columns(TypedDict, total=False):
    """The optional columns; each ``to_fact`` says what they mean for its event."""

    agency_id: str | None
    other_agency_id: str | None
    case_id: UUID | None
    program: str | None
    kind: str | None
    code: str | None
    codes: tuple[str, ...]
    amount: int | None
    revision: int | None
    at: datetime | None
    due_on: date | None
    is_complex: bool | None
    between_systems: bool | None
    second_amount: int | None
    school_district_code: str | None


@dataclass(frozen=True)
class Fact:
    event_id: UUID
    event_type: str
    occurred_at: datetime
    on_date: date
    subject_id: str
    agency_id: str | None = None
    other_agency_id: str | None = None
    case_id: UUID | None = None
    program: str | None = None
    kind: str | None = None
    code: str | None = None
    codes: tuple[str, ...] = field(default_factory=tuple)
    amount: int | None = None
    revision: int | None = None
    at: datetime | None = None
    due_on: date | None = None
    is_complex: bool | None = None
    between_systems: bool | None = None
    second_amount: int | None = None
    school_district_code: str | None = None

    @classmethod
    def of(
        cls, envelope: Envelope, on_date: date, subject_id: object, **columns: Unpack[Columns]
    ) -> Fact:
        """The event's fact: id, type and instant from the envelope, the rest as given."""
        return cls(
            event_id=envelope.event_id,
            event_type=envelope.event_type,
            occurred_at=envelope.occurred_at,
            on_date=on_date,
            subject_id=str(subject_id),
            **columns,
        )

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.on_date)

    def row(self) -> dict[str, Any]:
        # Field names computed once (dataclasses.fields per fact was a few % of the
        # subscriber's CPU: one call per event).
        values = {name: getattr(self, name) for name in _FIELDS}
        values["codes"] = list(self.codes)
        values["fiscal_year"] = self.fiscal_year
        return values


_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Fact))
COLUMNS: tuple[str, ...] = (*_FIELDS, "fiscal_year")


@dataclass(frozen=True)
class Consultation:
    """One ``intake.ConsultationReceived`` (its own table, ``consultation_facts``)."""

    event_id: UUID
    agency_id: str
    received_at: datetime
    is_complex: bool
    between_systems: bool
    issue_codes: tuple[str, ...]
    channel: str | None
    case_id: UUID | None = None
    age_band: str | None = None
    school_district_code: str | None = None
    consulted_by: str | None = None


def month_start(month: str) -> date:
    """``YYYY-MM`` → its first day (a monthly report's 年度 is its month's)."""
    year, mon = month.split("-")
    return date(int(year), int(mon), 1)


C = TypeVar("C", bound=EventContract)
ToFact = Callable[[Envelope, C], Fact]


class FactRules:
    """Contract → its one ``to_fact`` function; a second function for a contract is refused."""

    def __init__(self) -> None:
        self.by_contract: dict[type[EventContract], Callable[[Envelope, Any], Fact]] = {}

    def to_fact(self, *contracts: type[C]) -> Callable[[ToFact[C]], ToFact[C]]:
        def register(function: ToFact[C]) -> ToFact[C]:
            for contract in contracts:
                if contract in self.by_contract:
                    raise ValueError(f"{contract.event_type} has two fact functions")
                self.by_contract[contract] = function
            return function

        return register

    def fact_of(self, envelope: Envelope, event: EventContract) -> Fact | None:
        function = self.by_contract.get(type(event))
        return None if function is None else function(envelope, event)


rules = FactRules()
