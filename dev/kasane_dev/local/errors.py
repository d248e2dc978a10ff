"""Expected failures of the local stack.

The CLI turns these into one line on stderr and exit status 1, so their messages must be
complete sentences a developer can act on without a stack trace.
"""

from __future__ import annotations


class LocalInfraError(Exception):
    """A local component could not be prepared, started or stopped."""


class MissingPrerequisite(LocalInfraError):
    """A tool the local stack needs (Java, Maven) is not installed or too old."""
