"""The one error raised for a code or id that the reference data does not know."""

from __future__ import annotations


class UnknownReferenceCodeError(LookupError, ValueError):
    """An id or code missing from the reference data.

    A ``LookupError`` because it is a failed lookup, and a ``ValueError`` so that pydantic
    validators that call the reference functions turn it into a 422 with the field and the
    reason instead of a 500.
    """
