"""Domain refusals: what a rule says when it refuses, with no HTTP in it.

Domain and use-case code raises these; ``kasane.web.errors`` maps each to its status and the
one error body every service answers with (``{"error", "message", "errors": [{field,
reason}]}``). Reasons are staff-facing: "日本語 / English".
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """A rule refuses: ``field`` names what is wrong, ``reason`` says why."""

    status: ClassVar[int] = 409

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


class NotFound(DomainError):
    """The record does not exist, or the caller may not know that it exists."""

    status = 404


class Forbidden(DomainError):
    """The caller is known and the record visible, but this act is not theirs."""

    status = 403


class Conflict(DomainError):
    """The request is well-formed but the record's state does not allow it."""

    status = 409


class Invalid(DomainError):
    """The request breaks a rule that its schema cannot express (e.g. a date order)."""

    status = 422


class StaleVersion(DomainError):
    """If-Match named an older version: someone else changed the record since."""

    status = 412


class VersionRequired(DomainError):
    """A versioned record may be changed only with If-Match."""

    status = 428
