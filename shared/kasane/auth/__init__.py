"""Bearer-JWT authentication shared by every service (docs/architecture/access-rules.md)."""

from kasane.auth.principal import ROLES, Principal

__all__ = ["ROLES", "Principal"]
