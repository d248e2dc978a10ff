"""参加支援's code lists (English code → 日本語ラベル). Codes are stored and published."""

from __future__ import annotations

from typing import Final

from kasane.reference import program_codes
from kasane.reference.enumerations import labels

# Categories of アソウ's own resources. Community's directory brings its own category
# codes (salon, kodomo_shokudo, kayoi_no_ba, ...), kept as published. One home, shared with
# the portal's labels: kasane.reference.program_codes.
OWN_CATEGORIES: Final[dict[str, str]] = program_codes.labels("participation_resource_categories")

# 段階的な社会とのつながりの回復: the ladder steps are recorded on (in this order). The list is
# shared reference data, since meetings prints a plan's planned stages as its goals.
STAGES: Final[dict[str, str]] = labels("participation_stages")

PLACEMENT_OUTCOMES: Final[dict[str, str]] = program_codes.labels("participation_placement_outcomes")

PARTICIPATION_OUTCOMES: Final[dict[str, str]] = {
    "employed": "就労",
    "connected_to_community": "地域とのつながりができた",
    "housing_secured": "住まいの確保",
    "other_support": "他の支援へ移行",
    "person_declined": "本人の意向で終了",
    "moved": "転居",
    "other": "その他",
}

# Set by the service when the referral the participation rests on is revoked.
REFERRAL_REVOKED: Final = "referral_revoked"
