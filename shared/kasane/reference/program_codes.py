"""The programs' own codes (``program_codes.json``): English code → 日本語ラベル.

Each list belongs to one service's records — intake's 性別, 続柄, 世帯内の役割, 緊急度,
ケース記録の種別 and 終結/再開の理由; community's 通報者の種別, 緊急度, 協議テーマ and
資源の種類; meetings' roles, return reasons, 終結/中断 reasons, resource gaps and
outcomes; outreach's sources, contacts, stages and end reasons; 参加支援's resource
categories and placement outcomes; referral's decline, outcome and revoke reasons and
statuses — but two programs read it: the service validates its input against it (or, where
the service types a code as a ``Literal``, a unit test keeps the two equal), and the portal
labels what staff read with it (a portal image installs no service package). So the list
has one home here, not a copy per reader. Codes are stored and published: they never
change; a label may.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kasane.reference._resources import read_packaged_json

ProgramList = Literal[
    "intake_sexes",  # 性別
    "intake_relationships",  # 続柄 (seen from the household's 本人)
    "intake_care_roles",  # 世帯内の役割
    "intake_urgencies",  # 相談の緊急度
    "intake_record_kinds",  # ケース記録の種別
    "intake_close_reasons",  # 終結の理由
    "intake_reopen_reasons",  # 再開の理由
    "community_reporter_types",  # 見守りネットワークの通報者の種別
    "community_urgencies",  # 見守りネットワークの通報の緊急度
    "community_council_topics",  # 支え合い推進会議の協議テーマ
    "community_resource_categories",  # 社会資源の一覧の資源の種類
    "meeting_roles",  # 役割分担
    "meeting_return_reasons",  # プランの差戻し理由
    "meeting_gap_categories",  # 社会資源の不足の分類
    "meeting_outcomes",  # 決定の種類
    "outreach_sources",  # 把握経路
    "outreach_contact_methods",
    "outreach_contact_results",
    "outreach_stages",  # 関係づくりの段階
    "outreach_end_reasons",
    "participation_resource_categories",  # アソウの社会資源の分類
    "participation_placement_outcomes",
    "referral_decline_reasons",  # 受け手が断る理由
    "referral_outcomes",  # つなぎ先での支援の結果
    "referral_revoke_reasons",
    "referral_statuses",
]


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    note: str
    lists: dict[ProgramList, dict[str, str]]
    meeting_end_reasons: dict[str, dict[str, str]]  # end kind (終結/中断) → its reasons
    meeting_outcomes_by_kind: dict[str, tuple[str, ...]]  # agenda kind → decisions that fit


@lru_cache(maxsize=1)
def _table() -> _Table:
    table = _Table.model_validate(read_packaged_json("program_codes.json"))
    missing = set(ProgramList.__args__) - set(table.lists)  # type: ignore[attr-defined]
    if missing:  # reference data, not input: a broken file is a bug
        raise RuntimeError(f"program_codes.json lacks {sorted(missing)}")
    return table


def labels(name: ProgramList) -> dict[str, str]:
    """One list, in its order (a copy: callers may not change the reference)."""
    return dict(_table().lists[name])


def meeting_end_reasons() -> dict[str, dict[str, str]]:
    """Reasons a plan ends, per end kind: 終結 (``completed``) and 中断 (``suspended``)."""
    return {kind: dict(reasons) for kind, reasons in _table().meeting_end_reasons.items()}


def meeting_outcomes_by_kind() -> dict[str, tuple[str, ...]]:
    """The decisions that fit each agenda kind (e.g. a plan's appropriateness: 承認/差戻し)."""
    return dict(_table().meeting_outcomes_by_kind)
