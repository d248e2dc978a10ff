"""Principals of bearer tokens already verified, kept until the token's own ``exp``.

A client (a counselor's browser session through the portal, a script, another service)
sends the same token on every request until it expires. Checking its signature again each
time costs an Ed25519 or RSA verification plus PyJWT's parsing (about 0.1–0.2 ms of CPU per
request, a noticeable share of a ``POST /consultations``), and it cannot change the answer:
the signature covers the whole token string, so the same string verified once verifies
again until its ``exp``. The cache is keyed by that exact string and never outlives ``exp``
(without the verifier's clock leeway, so it only ever answers *earlier* than a fresh
verification would stop accepting); a token that failed verification is never cached.
An entry is also dropped after ``max_age_s`` (60 s), so a signing key the issuer has
removed stops being honoured within a minute here too, not only at the token's expiry
(docs/architecture/sign-in.md, key rotation).

Bounded (least recently used entries go first), per process; nothing here is shared rule
state (docs/architecture/access-rules.md).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from kasane.auth.principal import Principal

DEFAULT_MAX_ENTRIES = 4096
DEFAULT_MAX_AGE_S = 60.0


class VerifiedTokenCache:
    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.time,
        max_age_s: float = DEFAULT_MAX_AGE_S,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max = max_entries
        self._max_age = max_age_s
        self._clock = clock
        self._entries: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str) -> Principal | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        principal, exp = entry
        if self._clock() >= exp:
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return principal

    def put(self, token: str, principal: Principal, exp: object) -> None:
        """Remember a token that has just been verified; ``exp`` is its verified claim.

        A token without a numeric ``exp`` is not cached (every issuer requires one, so this
        only guards against a verifier that does not)."""
        if isinstance(exp, bool) or not isinstance(exp, int | float):
            return
        now = self._clock()
        if now >= exp:
            return
        self._entries[token] = (principal, min(float(exp), now + self._max_age))
        self._entries.move_to_end(token)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
