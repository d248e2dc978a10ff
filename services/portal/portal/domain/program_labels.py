"""Code → 日本語 labels for the outreach and 参加支援 screens (one home in the portal).

The codes belong to the services (outreach's ``codes.json``, participation's ``codes.py``);
the portal cannot import a service's package at run time, so it keeps a copy here, and
``tests/unit/portal/test_portal_program_labels.py`` fails the moment the two differ.
校区 names and agency names come from ``kasane.reference``.
"""

from __future__ import annotations

from typing import Final

from kasane.reference import get_school_district, is_valid_school_district

OUTREACH_SOURCES: Final[dict[str, str]] = {
    "minsei_iin": "民生委員児童委員協議会",
    "fureai": "ふれあいの会",
    "council": "支え合い推進会議",
    "ibasho": "居場所",
    "agency": "関係機関",
    "family": "家族",
}
CONTACT_METHODS: Final[dict[str, str]] = {
    "visit": "訪問",
    "phone": "電話",
    "letter": "手紙",
    "accompanied_visit": "同行訪問",
}
CONTACT_RESULTS: Final[dict[str, str]] = {
    "absent": "不在",
    "refused": "拒否",
    "met": "会えた",
    "talked": "話せた",
}
OUTREACH_STAGES: Final[dict[str, str]] = {
    "not_contacted": "未接触",
    "contacted": "接触",
    "relationship": "関係形成",
    "support_started": "支援開始",
    "stable": "安定",
}
OUTREACH_END_REASONS: Final[dict[str, str]] = {
    "handed_over": "支援機関へ引継ぎ",
    "stable": "安定により終了",
    "moved": "転居",
    "refused": "支援の拒否が続く",
    "deceased": "死亡",
    "not_found": "所在不明",
    "other": "その他",
}
OUTREACH_PLAN_STATUSES: Final[dict[str, str]] = {
    "submitted": "会議に提出済み",
    "active": "実施中",
    "returned": "差し戻し",
    "ended": "終了",
}
RESOURCE_CATEGORIES: Final[dict[str, str]] = {
    "ibasho": "居場所",
    "work_trial": "就労体験",
    "employment": "就労支援",
    "housing": "住まい（居住支援）",
    "volunteer": "ボランティア・役割",
    "learning": "学び直し",
    "other": "その他",
}
PARTICIPATION_STAGES: Final[dict[str, str]] = {
    "contact": "支援者との関係づくり",
    "outing": "外出",
    "ibasho": "居場所",
    "volunteer": "ボランティア・役割",
    "work_trial": "就労体験",
    "employment": "就労",
    "housing": "住まいの確保",
}
PARTICIPANT_STATUSES: Final[dict[str, str]] = {
    "enrolled": "登録済み（プラン作成前）",
    "plan_submitted": "プラン提出済み（会議待ち）",
    "active": "支援中",
    "ended": "終了",
    "revoked": "つなぎの撤回により終了",
}
PLACEMENT_OUTCOMES: Final[dict[str, str]] = {
    "completed": "予定どおり終了",
    "next_step": "次の段階へ",
    "employed": "就労",
    "dropped_out": "中断",
    "person_declined": "本人の意向",
    "other": "その他",
    "referral_revoked": "つなぎの撤回",
}
PROXIMITY: Final[dict[str, str]] = {
    "school_district": "同じ校区",
    "daily_life_area": "同じ日常生活圏域",
    "citywide": "市内全域",
    "other": "その他の地域",
}


def label(table: dict[str, str], code: str | None) -> str:
    """The label, or the code itself (a code added by a service later still shows)."""
    if code is None:
        return ""
    return table.get(code, code)


def district(code: str | None) -> str:
    """校区名; 「未設定」 when unknown to the target."""
    if not code:
        return "未設定"
    return get_school_district(code).name_ja if is_valid_school_district(code) else code
