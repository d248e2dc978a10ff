"""intake's own vocabularies: English ids, Japanese labels (what staff see)."""

from __future__ import annotations

from typing import Literal

Sex = Literal["female", "male", "other", "no_answer"]
SEX_LABELS = {"female": "女性", "male": "男性", "other": "その他", "no_answer": "回答しない"}

# 続柄, seen from the household's primary person (本人).
Relationship = Literal[
    "self",
    "spouse",
    "parent",
    "child",
    "sibling",
    "grandparent",
    "grandchild",
    "child_in_law",
    "other_relative",
    "other",
]
RELATIONSHIP_LABELS = {
    "self": "本人",
    "spouse": "配偶者",
    "parent": "親",
    "child": "子",
    "sibling": "きょうだい",
    "grandparent": "祖父母",
    "grandchild": "孫",
    "child_in_law": "子の配偶者",
    "other_relative": "その他の親族",
    "other": "その他",
}

# 世帯内の役割: makes 8050, ダブルケア and ヤングケアラー visible on the household.
CareRole = Literal["carer", "cared_for"]
CARE_ROLE_LABELS = {"carer": "介護・世話をしている", "cared_for": "介護・世話を受けている"}

Urgency = Literal["normal", "high", "emergency"]
URGENCY_LABELS = {"normal": "通常", "high": "高い", "emergency": "緊急"}

RecordKind = Literal["contact", "visit", "call", "note", "meeting"]
RECORD_KIND_LABELS = {
    "contact": "来所・面談",
    "visit": "訪問",
    "call": "電話",
    "note": "記録",
    "meeting": "会議",
}

CloseReason = Literal["resolved", "transferred", "moved", "deceased", "declined", "other"]
CLOSE_REASON_LABELS = {
    "resolved": "課題解決",
    "transferred": "他機関へ移管",
    "moved": "転出",
    "deceased": "死亡",
    "declined": "本人の辞退",
    "other": "その他",
}

# ケース再開の理由. closed_in_error undoes a closure recorded by mistake.
ReopenReason = Literal["same_issue_returned", "situation_worsened", "closed_in_error", "other"]
REOPEN_REASON_LABELS = {
    "same_issue_returned": "同じ世帯状況での再相談",
    "situation_worsened": "状況の悪化",
    "closed_in_error": "誤った終結の取消し",
    "other": "その他",
}
