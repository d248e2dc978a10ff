"""Who is calling: the verified claims of a bearer token."""

from __future__ import annotations

from dataclasses import dataclass

# 相談員, 多機関協働・アウトリーチ・参加支援 staff, agency manager, city (aggregates only), auditor,
# and the staff of a 連携機関 (partner organisation, kasane.reference.partners).
ROLES: tuple[str, ...] = (
    "counselor",
    "coordinator",
    "manager",
    "city_official",
    "auditor",
    "partner",
)


@dataclass(frozen=True)
class Principal:
    sub: str  # staff id
    agency: str
    roles: frozenset[str]

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))
