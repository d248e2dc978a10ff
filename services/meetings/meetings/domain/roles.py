"""役割分担: per-agency roles in a plan, exactly one of them the 主担当 (lead)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasane.events.meetings import RoleAssignment
from kasane.reference.agencies import is_known_agency
from kasane.types import Text
from meetings.domain.codes import ROLE_CODES


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    agency_id: str
    role_code: str
    lead: bool = False  # 主担当
    tasks: Text | None = Field(default=None, max_length=1000)  # 具体的な支援内容 (stays here)

    @field_validator("agency_id")
    @classmethod
    def _known_agency(cls, value: str) -> str:
        if not is_known_agency(value):
            raise ValueError(f"未知の機関 / unknown agency id: {value}")
        return value

    @field_validator("role_code")
    @classmethod
    def _known_role(cls, value: str) -> str:
        if value not in ROLE_CODES:
            raise ValueError(f"未知の役割コード / unknown role code: {value}")
        return value


def roles_problem(roles: list[RoleIn]) -> str | None:
    """Why a role list cannot stand (None if it can): one 主担当, no duplicates."""
    if not roles:
        return "役割分担がありません / at least one role is required"
    leads = [r for r in roles if r.lead]
    if len(leads) != 1:
        return f"主担当はちょうど1機関 / exactly one lead agency required, got {len(leads)}"
    pairs = [(r.agency_id, r.role_code) for r in roles]
    if len(pairs) != len(set(pairs)):
        return "同じ機関・役割が重複しています / duplicate agency and role"
    return None


def validated_roles(roles: list[RoleIn]) -> list[RoleIn]:
    problem = roles_problem(roles)
    if problem:
        raise ValueError(problem)
    return roles


def assignments(roles: list[RoleIn]) -> list[RoleAssignment]:
    """The event form: ids and codes only (``tasks`` is narrative and stays in meetings)."""
    return [
        RoleAssignment(agency_id=r.agency_id, role_code=r.role_code, lead=r.lead) for r in roles
    ]
