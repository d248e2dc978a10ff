"""Code → 日本語ラベル for the 本人検索 and 相談受付 screens: one module, from shared reference.

Staff never read a code. Issue codes, channels, outcomes, 相談者, consent methods, programs,
meeting types, age bands and 校区 come from ``kasane.reference``; sex, 続柄 and 世帯内の役割
are intake's own vocabularies (``intake/domain/vocab.py``) — the portal does not import a
service, so they are repeated here and a unit test keeps the two identical.
"""

from __future__ import annotations

from kasane.reference.enumerations import labels
from kasane.reference.issue_codes import issue_code_labels
from kasane.reference.school_districts import school_districts
from portal.domain.labels import consent_parties
from portal.domain.labels import district_name as district_name

SEX = {"female": "女性", "male": "男性", "other": "その他", "no_answer": "回答しない"}
RELATIONSHIPS = {
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
CARE_ROLES = {"carer": "介護・世話をしている", "cared_for": "介護・世話を受けている"}

# The situations a household shows (kasane.households) are issue codes.
SITUATION_NOTES = {
    "8050": "高齢の親と中高年の子の世帯（8050）",
    "double_care": "子育てと介護を同時に担っている（ダブルケア）",
    "young_carer": "18歳未満の子どもが介護・世話を担っている（ヤングケアラー）",
}


def issue_codes() -> dict[str, str]:
    return issue_code_labels()


def channels() -> dict[str, str]:
    return labels("channels")


def outcomes() -> dict[str, str]:
    return labels("consultation_outcomes")


def consulted_by() -> dict[str, str]:
    return labels("consulted_by")


def consent_methods() -> dict[str, str]:
    return labels("consent_methods")


def programs() -> dict[str, str]:
    return labels("programs")


def meeting_types() -> dict[str, str]:
    return labels("meeting_types")


def age_bands() -> dict[str, str]:
    return labels("age_bands")


def agencies() -> dict[str, str]:
    """Every agency or 連携機関 a consent may name (one rule with the case page's form)."""
    return consent_parties()


def districts() -> dict[str, str]:
    return {d.code: d.name_ja for d in school_districts()}
