"""本人同意 (consent): one meaning for every service (intake, referral, meetings).

The rules, written down in ``docs/architecture/consent-and-legal-bases.md``:

- **Validity.** A consent is in force on a day ``d`` when ``consented_on <= d``, ``d <=
  expires_on`` (the expiry date is the last valid day, 有効期限: その日まで有効) and ``d <
  withdrawn_on`` (a withdrawal takes effect from its own date). A consent of which only the
  withdrawal has been seen (``consented_on`` unknown) is never in force.
- **Scope.** Three independent lists: ``scope_agencies`` (agencies that may receive the
  case), ``scope_programs`` (programs it may be referred into) and ``scope_meeting_types``
  (meetings where it may be discussed). An empty list names nobody: it never means
  "everyone".
- **Sharing is an act on a day.** Every act of sharing needs the consent in force on the day
  of the act: a referral on the day it is requested (and accepted), a read in intake on the
  day of the read, a meeting's discussion and decision on the meeting day (also when the
  minutes are recorded later), an item shown in a meeting pack on the meeting day and on the
  day it is shown. So a withdrawal stops all further sharing from its date, including
  re-reading the items of earlier meetings, and does not undo what was shared before it.

Pure: no I/O, no clock. Callers pass the day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID


@dataclass(frozen=True, kw_only=True)
class Consent:
    consent_id: UUID
    case_id: UUID | None = None
    scope_agencies: frozenset[str] = field(default_factory=frozenset)
    scope_programs: frozenset[str] = field(default_factory=frozenset)
    scope_meeting_types: frozenset[str] = field(default_factory=frozenset)
    consented_on: date | None  # None: only the withdrawal has been seen so far
    expires_on: date | None = None  # the last valid day
    withdrawn_on: date | None = None  # no longer valid from this day

    def problem_on(self, day: date) -> str | None:
        """Why the consent is not in force on ``day`` (日本語 / English), or None."""
        if self.consented_on is None:
            return "同意の記録がありません / consent not recorded"
        if self.withdrawn_on is not None and day >= self.withdrawn_on:
            return f"同意は撤回されています / consent withdrawn on {self.withdrawn_on}"
        if day < self.consented_on:
            return f"同意日より前です / before the consent was given ({self.consented_on})"
        if self.expires_on is not None and day > self.expires_on:
            return f"同意の有効期限切れ / consent expired on {self.expires_on}"
        return None

    def valid_on(self, day: date) -> bool:
        return self.problem_on(day) is None

    def names_agency(self, agency_id: str) -> bool:
        """Scope only (an empty list names nobody)."""
        return agency_id in self.scope_agencies

    def covers_agency(self, agency_id: str, day: date) -> bool:
        return self.valid_on(day) and self.names_agency(agency_id)

    def covers_program(self, program: str, day: date) -> bool:
        return self.valid_on(day) and program in self.scope_programs

    def meeting_problem(self, meeting_type: str, meeting_day: date, today: date) -> str | None:
        """Why the case may not be shared at a ``meeting_type`` held on ``meeting_day``, as
        of ``today`` (in force on both days, and the meeting type in scope), or None."""
        if self.consented_on is not None and meeting_type not in self.scope_meeting_types:
            return "同意の範囲に会議が含まれていません / consent scope does not cover this meeting"
        # Preparing a meeting before the consent's own date (tests, back-dated entry) is
        # judged on the meeting day alone; afterwards every read is also judged on its day.
        read_day = max(today, self.consented_on or today)
        return self.problem_on(meeting_day) or self.problem_on(read_day)


def newest(consents: Iterable[Consent], fits: Callable[[Consent], bool]) -> Consent | None:
    """The most recently given consent that ``fits`` (ties broken by id, for a stable answer)."""
    return max(
        (c for c in consents if fits(c)),
        key=lambda c: (c.consented_on or date.min, str(c.consent_id)),
        default=None,
    )


def ended(consents: Iterable[Consent], day: date) -> frozenset[UUID]:
    """Ids of the consents not in force on ``day`` (withdrawn, expired or not yet given)."""
    return frozenset(c.consent_id for c in consents if not c.valid_on(day))
