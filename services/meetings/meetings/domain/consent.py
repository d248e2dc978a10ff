"""本人同意 at meetings, on the one consent model of ``kasane.consent``.

A 重層的支援会議 may discuss a case only under a consent that covers that meeting type and is
in force on the meeting day (placing it on the agenda, deciding on it: the meeting's own acts,
also when minuted later); showing the item to a member later needs it in force on that day
too, so a withdrawal stops any further sharing from its date.
Which members see the detail is the consent's agency scope (empty names nobody), plus 社協,
the case's 主担当 and the presenting agency (``domain.access``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kasane.consent import Consent, newest

__all__ = ["Consent", "refusal_reason", "valid_consent"]


def valid_consent(
    consents: Iterable[Consent], meeting_type: str, day: date, today: date
) -> Consent | None:
    """The consent that allows the case at that meeting as of ``today``: the latest given."""
    return newest(consents, lambda c: c.meeting_problem(meeting_type, day, today) is None)


def refusal_reason(consents: Iterable[Consent], meeting_type: str, day: date, today: date) -> str:
    """Why no consent allows the case (the most telling reason), for the 409 body."""
    reasons = [
        r for c in consents if (r := c.meeting_problem(meeting_type, day, today)) is not None
    ]
    if not reasons:
        return "有効な本人同意がありません / no consent recorded for this case"
    return "有効な本人同意がありません / no valid consent: " + "; ".join(sorted(set(reasons)))
