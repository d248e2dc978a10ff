"""meetings' own code lists (English ids, Japanese labels), beside the shared reference data.

Shared lists (meeting types, agenda kinds, legal bases, programs, plan end kinds) come from
``kasane.reference``; the lists below are used by meetings alone: what a role in a plan is,
why a plan is returned or ended, and what kind of 社会資源 is missing.
"""

from __future__ import annotations

from typing import Final

from kasane.reference.agencies import operators_of
from kasane.reference.enumerations import labels

# 多機関協働事業者 (社協) runs the meetings: whoever the reference data names as the
# operator of this service (one agency in Kurume).
COORDINATOR_AGENCIES: Final = frozenset(a.id for a in operators_of("meetings"))
COORDINATOR_AGENCY: Final = operators_of("meetings")[0].id

MEETING_TYPE_LABELS: Final = labels("meeting_types")
MULTILAYER_KINDS: Final = labels("multilayer_agenda_kinds")
SUPPORT_KINDS: Final = labels("support_meeting_agenda_kinds")
LEGAL_BASIS_LABELS: Final = {
    "consent": "本人同意",
    "support_meeting": "支援会議（社会福祉法第106条の6）",
}
PROGRAM_LABELS: Final = labels("programs")
PLAN_END_KIND_LABELS: Final = labels("plan_end_kinds")

# 役割分担: what an agency takes on in a plan.
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

# プランの差戻し理由.
RETURN_REASONS: Final = {
    "insufficient_assessment": "アセスメントが不十分",
    "goals_unclear": "目標が不明確",
    "roles_unclear": "役割分担が不明確",
    "wishes_unconfirmed": "本人・世帯の希望が未確認",
    "other": "その他",
}

# プラン終了の理由: 終結 (completed) and 中断 (suspended) each have their own.
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

# 社会資源の不足の分類 (社会資源の充足状況の把握と開発).
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

# 決定の種類 (outcome of an agenda item).
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
