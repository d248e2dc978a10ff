"""開示請求 (a person's access log): the labels an auditor reads instead of codes."""

from __future__ import annotations

from typing import Final
from uuid import UUID

from kasane.reference import enumerations

ACTIONS: Final[dict[str, str]] = {
    "read": "閲覧",
    "list": "一覧表示",
    "search": "検索",
    "create": "登録",
    "update": "更新",
    "close": "終結",
    "link": "紐付け",
    "withdraw": "撤回",
    "print": "印刷",
    "duplicate_check": "重複確認",
}
RECORD_TYPES: Final[dict[str, str]] = {
    "person": "本人",
    "household": "世帯",
    "case": "ケース",
    "case_list": "ケース一覧",
    "case_records": "支援経過記録",
    "consultation": "相談受付",
    "consent": "本人同意",
    "sheet": "相談受付・申込票",
    "referral": "つなぎ",
    "plan": "プラン",
    "participant": "参加者",
    "decision": "会議の決定",
    "agenda_item": "会議の案件",
    "meeting_pack": "会議資料",
}
OUTCOMES: Final[dict[str, str]] = {"allowed": "許可", "denied": "拒否"}
# Why an agency could see the record (the access rule's basis).
BASES: Final[dict[str, str]] = {
    "owner": "主担当",
    "referral": "つなぎ",
    "meeting": "会議",
    "plan": "プラン",
    "auditor": "監査",
    "manager": "管理者",
}
GRANT_SOURCES: Final[dict[str, str]] = {"referral": "つなぎ", "meeting": "会議", "plan": "プラン"}
END_REASONS: Final[dict[str, str]] = {
    "case_closed": "ケース終結",
    "plan_ended": "プラン終了",
    "referral_revoked": "つなぎ取消",
    "referral_declined": "つなぎ辞退",
    "role_removed": "役割の解除",
}


def label(table: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    return table.get(code, code)


def basis_label(code: str | None) -> str:
    """Access basis or legal basis: 主担当, 本人同意, 支援会議, …"""
    if not code:
        return ""
    return BASES.get(code) or enumerations.labels("legal_bases").get(code, code)


def parse_person_id(value: object) -> UUID | None:
    """The auditor types or pastes the person's id (the 開示請求 names the person; staff
    find the id on the person's record). Surrounding spaces are forgiven."""
    if not isinstance(value, str):
        return None
    try:
        return UUID(value.strip())
    except ValueError:
        return None
