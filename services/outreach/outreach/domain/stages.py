"""Engagement stages 未接触 → 接触 → 関係形成 → 支援開始 → 安定, and what a change needs.

Trust is built slowly and lost quickly: moving forward (even skipping a stage) needs only
a date; moving backwards needs a reason, so the record says why the relationship slipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kasane.errors import Invalid
from kasane.types import check_not_future, future_reason

STAGES: tuple[str, ...] = (
    "not_contacted",  # 未接触
    "contacted",  # 接触
    "relationship",  # 関係形成
    "support_started",  # 支援開始
    "stable",  # 安定
)
FIRST_STAGE = STAGES[0]


@dataclass(frozen=True)
class StageChange:
    from_stage: str
    to_stage: str
    changed_on: date
    reason: str | None

    @property
    def backwards(self) -> bool:
        return STAGES.index(self.to_stage) < STAGES.index(self.from_stage)


def check_stage_change(
    current: str,
    new: str,
    *,
    reason: str | None,
    changed_on: date,
    last_changed_on: date,
    today: date,
) -> StageChange | None:
    """The change, None if ``new`` is the current stage, or ``Invalid`` naming the field."""
    if new not in STAGES:
        raise Invalid("stage", f"未知の段階 / unknown stage: {new}")
    if new == current:
        return None
    check_not_future(changed_on, "changed_on", future_reason("変更日", "changed_on"), today)
    if changed_on < last_changed_on:
        raise Invalid(
            "changed_on",
            f"前回の変更日（{last_changed_on}）より前です / before the last change",
        )
    change = StageChange(current, new, changed_on, (reason or "").strip() or None)
    if change.backwards and change.reason is None:
        raise Invalid("reason", "段階を戻すには理由が必要です / moving back a stage needs a reason")
    return change
