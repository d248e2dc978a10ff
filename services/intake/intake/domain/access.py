"""Who may see a case in intake (docs/architecture/access-rules.md), as one pure function.

An agency sees a case if it owns it (主担当), or holds a live grant for it: a referral
between it and the owner (while not revoked), a meeting decision that shared the case with
it (until the decision's last day, the case's closure or the end of its plan, whichever
comes first), or a role in an approved plan. Anyone else gets 404 — existence is not
revealed. City roles never see persons; auditors see only the access log.

A 連携機関's staff (role ``partner``) read a case only if their organisation may hold case
access (``kasane.reference.partners.party_may_hold_case_access``) and only through a live
referral to it — at the ``case`` level, never the timeline: the position of an agency that
received a referral (docs/architecture/partners.md).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from kasane.clock import JST
from kasane.reference.partners import party_may_hold_case_access


class Level(enum.IntEnum):
    NONE = 0
    CASE = 1  # the case, its household's persons, consultations and consents
    WORK = 2  # plus the 支援経過記録 (timeline), and adding to it


@dataclass(frozen=True)
class Grant:
    agency_id: str
    source: str  # "referral" | "meeting" | "plan"
    source_id: UUID
    legal_basis: str  # "consent" | "support_meeting" | "plan"
    consent_id: UUID | None
    granted_at: datetime
    revoked_at: datetime | None = None
    expires_on: date | None = None  # last day of access (meeting grants); None: until revoked
    end_reason: str | None = None  # why it was revoked (case_closed, plan_ended, ...)

    def live_at(self, at: datetime) -> bool:
        # No lower bound on granted_at: producers' clocks may run slightly ahead of ours.
        if self.revoked_at is not None and at >= self.revoked_at:
            return False
        # The last day is a Japanese calendar day, like every date in kasane.
        return self.expires_on is None or at.astimezone(JST).date() <= self.expires_on


@dataclass(frozen=True)
class Decision:
    level: Level
    basis: str | None  # recorded on the audit row: "owner", "consent", "support_meeting", ...

    @property
    def allowed(self) -> bool:
        return self.level > Level.NONE


CASE_WORK_ROLES = frozenset({"counselor", "coordinator", "manager"})
PARTNER_ROLE = "partner"
# Plan roles work the case with the owner; referral and meeting grants let the receiver
# understand the case, not read every note in its timeline.
_LEVEL_BY_SOURCE = {"plan": Level.WORK, "referral": Level.CASE, "meeting": Level.CASE}


def decide(
    agency_id: str,
    roles: frozenset[str],
    owner_agency_id: str,
    grants: list[Grant],
    at: datetime,
    ended_consents: frozenset[UUID] = frozenset(),
) -> Decision:
    owned = owner_decision(agency_id, roles, owner_agency_id)
    if owned is not None:
        return owned
    if roles & CASE_WORK_ROLES:
        return _best_grant(agency_id, grants, at, ended_consents, _LEVEL_BY_SOURCE)
    if is_case_reading_partner(agency_id, roles):
        # Only a referral addressed to the partner lets it read, and only at the case level:
        # it owns no case and holds no plan role, and its meeting items are in its pack.
        return _best_grant(agency_id, grants, at, ended_consents, _PARTNER_LEVEL_BY_SOURCE)
    return Decision(Level.NONE, None)


_PARTNER_LEVEL_BY_SOURCE = {"referral": Level.CASE}


def owner_decision(agency_id: str, roles: frozenset[str], owner_agency_id: str) -> Decision | None:
    """The lead agency's case workers work the case whatever its grants and consents say:
    their decision, or None when grants and consents decide (so a caller may skip reading
    them for the owner)."""
    if roles & CASE_WORK_ROLES and agency_id == owner_agency_id:
        return Decision(Level.WORK, "owner")
    return None


def is_case_reading_partner(agency_id: str, roles: frozenset[str]) -> bool:
    """A 連携機関's staff whose organisation may hold case access (the table's flag); a
    partner without it works from the referral alone and never reads intake."""
    return PARTNER_ROLE in roles and party_may_hold_case_access(agency_id)


def may_read_cases(agency_id: str, roles: frozenset[str]) -> bool:
    """Whether the caller could see any case at all (before looking at one)."""
    return bool(roles & CASE_WORK_ROLES) or is_case_reading_partner(agency_id, roles)


def _best_grant(
    agency_id: str,
    grants: list[Grant],
    at: datetime,
    ended_consents: frozenset[UUID],
    level_by_source: dict[str, Level],
) -> Decision:
    best = Decision(Level.NONE, None)
    for grant in grants:
        if grant.agency_id != agency_id or not grant.live_at(at):
            continue
        if grant.consent_id is not None and grant.consent_id in ended_consents:
            continue  # 同意の撤回 or expiry: sharing on that consent stops at once
        level = level_by_source.get(grant.source, Level.NONE)
        if level > best.level:
            best = Decision(level, grant.legal_basis)
    return best
