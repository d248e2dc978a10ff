"""The intake read model's records and table shape (no I/O).

Events may arrive in any order across a replay or a redelivery, so every column but the keys
is nullable: a ``CaseClosed`` seen before its ``CaseOpened`` keeps a row without a lead, a
``CaseReopened`` seen before its ``CaseClosed`` keeps its date (the closure, when it comes,
is already undone), a ``ConsentWithdrawn`` seen before its ``ConsentRecorded`` a consent
without a date (never in force, see :class:`kasane.consent.Consent`). The record, when it
comes, fills in the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final
from uuid import UUID


def closed_on_of(closed_on: date | None, reopened_on: date | None) -> date | None:
    """The closure in force: the latest closure, unless a reopening on or after it was seen.

    intake dates a reopening on or after the closure it ends and a later closure after the
    reopening, so comparing the two latest dates orders them whatever order the events came
    in. :func:`closed_sql` is the same rule for queries."""
    if closed_on is None or (reopened_on is not None and reopened_on >= closed_on):
        return None
    return closed_on


def closed_sql(alias: str = "") -> str:
    """:func:`closed_on_of` as a SQL condition on the ``cases`` table ("is closed"), for
    queries that filter on it; ``alias`` is the table's alias in the caller's FROM."""
    p = f"{alias}." if alias else ""
    return (
        f"({p}closed_on IS NOT NULL AND ({p}reopened_on IS NULL OR {p}reopened_on < {p}closed_on))"
    )


@dataclass(frozen=True)
class IntakeCase:
    """An intake case as its opening was seen: its lead agency (主担当) and the closure in
    force (None while open, also after a ケース再開)."""

    case_id: UUID
    lead_agency_id: str
    closed_on: date | None
    opened_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # as information_schema.columns.data_type spells it
    nullable: bool = True
    default: str | None = None  # as information_schema.columns.column_default spells it


_EMPTY: Final = "'{}'::text[]"

# The one shape of the read model in every database that keeps it. A service adopting it
# creates these tables in a migration of its own (docs/architecture/intake-view.md has the
# SQL); tests/integration/intake_view checks each such database against this.
TABLES: Final[dict[str, tuple[Column, ...]]] = {
    "cases": (
        Column("case_id", "uuid", nullable=False),
        Column("lead_agency_id", "text"),
        Column("opened_on", "date"),
        Column("closed_on", "date"),
        Column("reopened_on", "date"),
    ),
    "consents": (
        Column("consent_id", "uuid", nullable=False),
        Column("case_id", "uuid", nullable=False),
        Column("scope_agencies", "ARRAY", nullable=False, default=_EMPTY),
        Column("scope_programs", "ARRAY", nullable=False, default=_EMPTY),
        Column("scope_meeting_types", "ARRAY", nullable=False, default=_EMPTY),
        Column("method", "text"),
        Column("consented_on", "date"),
        Column("expires_on", "date"),
        Column("withdrawn_on", "date"),
    ),
}
INDEXES: Final = frozenset({"cases_pkey", "consents_pkey", "consents_by_case"})
