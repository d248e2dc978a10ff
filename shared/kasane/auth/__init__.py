"""Bearer-JWT authentication shared by every service (DESIGN.md section 6)."""

from kasane.auth.principal import ROLES, Principal

__all__ = ["ROLES", "Principal"]
