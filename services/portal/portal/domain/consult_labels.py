"""Code → 日本語ラベル for the 本人検索 and 相談受付 screens: one module, from shared reference.

Staff never read a code. Issue codes, channels, outcomes, 相談者, consent methods, programs,
meeting types, age bands and 校区 come from ``kasane.reference``; so do sex, 続柄 and 世帯内の
役割, intake's own vocabularies, whose one home is ``kasane.reference.program_codes`` (intake
validates against the same lists; the portal imports no service).
"""

from __future__ import annotations

from typing import Final

from kasane.reference import program_codes
from kasane.reference.enumerations import labels
from kasane.reference.issue_codes import issue_code_labels
from kasane.reference.school_districts import school_districts
from portal.domain.labels import consent_parties
from portal.domain.labels import district_name as district_name

SEX: Final[dict[str, str]] = program_codes.labels("intake_sexes")
RELATIONSHIPS: Final[dict[str, str]] = program_codes.labels("intake_relationships")
CARE_ROLES: Final[dict[str, str]] = program_codes.labels("intake_care_roles")

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
