"""Audit rows of referral's use cases: every access to a referral, and every refusal."""

from __future__ import annotations

from typing import Final, TypeVar
from uuid import UUID

from kasane.audit import AccessEntry
from kasane.auth import Principal

T = TypeVar("T")

PURPOSE: Final = "つなぎ"


def entry(
    principal: Principal,
    record_type: str,
    record_id: UUID,
    action: str,
    outcome: str,
    legal_basis: str | None = None,
) -> AccessEntry:
    return AccessEntry.by(
        principal,
        record_type=record_type,
        record_id=str(record_id),
        action=action,
        purpose=PURPOSE,
        outcome=outcome,
        legal_basis=legal_basis,
    )
