"""Code → 日本語 labels for the outreach and 参加支援 screens (one home in the portal).

The codes belong to the services' records, and their one home is
``kasane.reference.program_codes`` (outreach and participation validate against the same
lists; 参加支援's stages are ``kasane.reference.enumerations``). 校区 names and agency names
come from ``kasane.reference`` too; the statuses below are the portal's own wording.
"""

from __future__ import annotations

from typing import Final

from kasane.reference import get_school_district, is_valid_school_district, program_codes
from kasane.reference.enumerations import labels

OUTREACH_SOURCES: Final[dict[str, str]] = program_codes.labels("outreach_sources")
CONTACT_METHODS: Final[dict[str, str]] = program_codes.labels("outreach_contact_methods")
CONTACT_RESULTS: Final[dict[str, str]] = program_codes.labels("outreach_contact_results")
OUTREACH_STAGES: Final[dict[str, str]] = program_codes.labels("outreach_stages")
OUTREACH_END_REASONS: Final[dict[str, str]] = program_codes.labels("outreach_end_reasons")
OUTREACH_PLAN_STATUSES: Final[dict[str, str]] = {
    "submitted": "会議に提出済み",
    "active": "実施中",
    "returned": "差し戻し",
    "ended": "終了",
}
RESOURCE_CATEGORIES: Final[dict[str, str]] = program_codes.labels(
    "participation_resource_categories"
)
PARTICIPATION_STAGES: Final[dict[str, str]] = labels("participation_stages")
PARTICIPANT_STATUSES: Final[dict[str, str]] = {
    "enrolled": "登録済み（プラン作成前）",
    "plan_submitted": "プラン提出済み（会議待ち）",
    "active": "支援中",
    "ended": "終了",
    "revoked": "つなぎの撤回により終了",
}
# The service's outcomes, and the one it sets itself when the referral is revoked.
PLACEMENT_OUTCOMES: Final[dict[str, str]] = {
    **program_codes.labels("participation_placement_outcomes"),
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
