"""One audit row for a list of persons shown at once (a search, a page of cases).

A list shows many subjects in one access; its row names what was shown in ``record_id``:
``"<count>:<id>,<id>,..."`` (``"0:"`` for an empty list), with no ``subject_id`` since
there is no single subject. Never the criteria that produced the list: they are personal
data (a name, a birth date) and the audit holds ids and codes only.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from kasane.audit import AccessEntry
from kasane.auth import Principal


def listed_ids(ids: Sequence[UUID]) -> str:
    return f"{len(ids)}:{','.join(str(i) for i in ids)}"


def listing_entry(
    principal: Principal,
    *,
    record_type: str,
    shown: Sequence[UUID],
    action: str,
    purpose: str,
    outcome: str = "allowed",
    legal_basis: str | None = None,
) -> AccessEntry:
    return AccessEntry.by(
        principal,
        record_type=record_type,
        record_id=listed_ids(shown),
        action=action,
        purpose=purpose,
        outcome=outcome,
        legal_basis=legal_basis,
    )
