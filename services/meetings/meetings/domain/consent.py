"""本人同意 as meetings sees it (read model of intake's ConsentRecorded/ConsentWithdrawn).

A 重層的支援会議 may discuss a case only under a consent that covers that meeting type, was
given on or before the meeting day, has not expired by then, and was never withdrawn:
withdrawal stops any further sharing, whatever date the meeting has (DESIGN.md section 6).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True)
class Consent:
    consent_id: UUID
    case_id: UUID
    scope_meeting_types: frozenset[str]
    scope_agencies: frozenset[str]
    consented_on: date | None  # None: only the withdrawal has been seen so far
    expires_on: date | None
    withdrawn_on: date | None

    def problem_on(self, meeting_type: str, day: date) -> str | None:
        """Why this consent does not allow the case at a ``meeting_type`` on ``day``."""
        if self.withdrawn_on is not None:
            return f"同意は撤回されています / consent withdrawn on {self.withdrawn_on}"
        if self.consented_on is None:
            return "同意の記録がありません / consent not recorded"
        if meeting_type not in self.scope_meeting_types:
            return "同意の範囲に会議が含まれていません / consent scope does not cover this meeting"
        if self.consented_on > day:
            return (
                f"同意日が会議日より後です / consent given after the meeting ({self.consented_on})"
            )
        if self.expires_on is not None and self.expires_on < day:
            return f"同意の有効期限切れ / consent expired on {self.expires_on}"
        return None

    def covers_agency(self, agency_id: str) -> bool:
        """An empty agency scope means: every member of a covered meeting."""
        return not self.scope_agencies or agency_id in self.scope_agencies


def valid_consent(consents: Iterable[Consent], meeting_type: str, day: date) -> Consent | None:
    """The consent that allows the case at that meeting: the latest given, if any."""
    usable = [c for c in consents if c.problem_on(meeting_type, day) is None]
    return max(usable, key=lambda c: (c.consented_on or date.min, str(c.consent_id)), default=None)


def refusal_reason(consents: Iterable[Consent], meeting_type: str, day: date) -> str:
    """Why no consent allows the case (the most telling reason), for the 409 body."""
    reasons = [r for c in consents if (r := c.problem_on(meeting_type, day)) is not None]
    if not reasons:
        return "有効な本人同意がありません / no consent recorded for this case"
    return "有効な本人同意がありません / no valid consent: " + "; ".join(sorted(set(reasons)))
