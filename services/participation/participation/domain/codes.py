"""参加支援's code lists (English code → 日本語ラベル). Codes are stored and published."""

from __future__ import annotations

from typing import Final

from kasane.reference.enumerations import labels

# Categories of アソウ's own resources. Community's directory brings its own category
# codes (salon, kodomo_shokudo, kayoi_no_ba, ...), kept as published.
OWN_CATEGORIES: Final[dict[str, str]] = {
    "ibasho": "居場所",
    "work_trial": "就労体験",
    "employment": "就労支援",
    "housing": "住まい（居住支援）",
    "volunteer": "ボランティア・役割",
    "learning": "学び直し",
    "other": "その他",
}

# 段階的な社会とのつながりの回復: the ladder steps are recorded on (in this order). The list is
# shared reference data, since meetings prints a plan's planned stages as its goals.
STAGES: Final[dict[str, str]] = labels("participation_stages")

PLACEMENT_OUTCOMES: Final[dict[str, str]] = {
    "completed": "予定どおり終了",
    "next_step": "次の段階へ",
    "employed": "就労",
    "dropped_out": "中断",
    "person_declined": "本人の意向",
    "other": "その他",
}

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
