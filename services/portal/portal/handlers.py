"""The portal handles no events: it owns no read model and no personal data. Every page asks
the owning service, with the signed-in user's token, so every read is checked and audited
there (docs/architecture/portal.md). The file exists so every service has one layout."""

from __future__ import annotations

SUBSCRIBES: tuple[str, ...] = ()
