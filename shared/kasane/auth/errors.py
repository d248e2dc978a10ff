"""The one error every token verifier raises for a token that must not act (→ 401)."""

from __future__ import annotations


class InvalidToken(Exception):
    pass
