"""Code → 日本語 labels for the meeting screens (one home in the portal).

Meeting types, agenda kinds, programs and 終結/中断 come from ``kasane.reference``. The
lists meetings keeps alone (``meetings/domain/codes.py``: roles, return and end reasons,
gap categories, outcomes) cannot be imported by the portal at run time, so they are
copied here; ``tests/unit/portal/test_portal_meeting_labels.py`` fails when they differ.
"""

from __future__ import annotations

from typing import Final

from kasane.reference.enumerations import labels
from kasane.reference.issue_codes import issue_code_labels

MEETING_TYPES: Final = labels("meeting_types")
AGENDA_KINDS: Final = {
    **labels("multilayer_agenda_kinds"),
    **labels("support_meeting_agenda_kinds"),
}
PROGRAMS: Final = labels("programs")
END_KINDS: Final = labels("plan_end_kinds")

ROLE_CODES: Final = {
    "coordination": "全体調整",
    "consultation": "相談支援",
    "elderly_care": "高齢者支援・介護サービス調整",
    "disability_support": "障害福祉サービス調整",
    "child_support": "子育て・子ども支援",
    "livelihood": "生活困窮・家計支援",
    "public_assistance": "生活保護",
    "employment": "就労支援",
    "participation": "参加支援（居場所・就労体験）",
    "outreach": "アウトリーチ・訪問",
    "watch": "見守り",
    "housing": "住まいの支援",
    "health": "医療・保健",
    "other": "その他",
}
RETURN_REASONS: Final = {
    "insufficient_assessment": "アセスメントが不十分",
    "goals_unclear": "目標が不明確",
    "roles_unclear": "役割分担が不明確",
    "wishes_unconfirmed": "本人・世帯の希望が未確認",
    "other": "その他",
}
END_REASONS: Final = {
    "completed": {
        "goals_achieved": "目標達成",
        "stabilised": "生活の安定",
        "handed_over": "他の制度・支援への移行",
    },
    "suspended": {
        "refused": "本人・世帯の拒否",
        "moved": "転居",
        "hospitalised": "入院・入所",
        "lost_contact": "連絡不通",
        "death": "死亡",
        "other": "その他",
    },
}
GAP_CATEGORIES: Final = {
    "ibasho": "居場所",
    "employment": "就労・就労体験の場",
    "housing": "住まい",
    "mobility": "移動・外出の支援",
    "childcare": "子育て・子どもの居場所",
    "care_service": "介護・福祉サービス",
    "mental_health": "こころの健康・医療",
    "language": "外国語・通訳の支援",
    "watch": "見守り・地域の支え合い",
    "legal": "法律・債務の相談",
    "other": "その他",
}
OUTCOME_LABELS: Final = {
    "approve": "プラン承認",
    "return": "プラン差戻し",
    "continue": "プラン継続（評価）",
    "end": "プラン終了（評価）",
    "gap": "社会資源の不足を記録",
    "share": "情報共有",
    "watch": "見守りと支援方針の確認",
    "urgent_action": "緊急対応",
    "escalate": "他事業へのつなぎ",
}
# Which decisions fit an agenda kind (meetings' OUTCOMES_BY_KIND, same test).
_SUPPORT = ("share", "watch", "urgent_action", "escalate")
OUTCOMES_BY_KIND: Final[dict[str, tuple[str, ...]]] = {
    "plan_appropriateness": ("approve", "return"),
    "plan_evaluation": ("continue", "end"),
    "resource_gap": ("gap",),
    "information_sharing": _SUPPORT,
    "watch_policy": _SUPPORT,
    "urgent_case": _SUPPORT,
}
ISSUES: Final = issue_code_labels()
PLAN_STATUSES: Final = {
    "draft": "下書き",
    "submitted": "提出済み（協議待ち）",
    "approved": "承認済み",
    "returned": "差戻し",
    "ended": "終了",
}
