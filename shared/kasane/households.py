"""世帯概要 as codes: the household situations and size band a case's household shows.

One home for the vocabulary that intake publishes (``ConsultationReceived``) and meetings
prints in its 会議資料: flags and a band only, never who lives in the household. The rule
that finds the situations from the members stays in intake (it reads ages); this module
only says what the codes are and how a head count becomes a band.
"""

from __future__ import annotations

from typing import Final, Literal

# Issue codes (reference issue_codes.json) that describe a household rather than a person.
HouseholdSituation = Literal["8050", "double_care", "young_carer"]
HOUSEHOLD_SITUATION_LABELS: Final[dict[str, str]] = {
    "8050": "8050",
    "double_care": "ダブルケア",
    "young_carer": "ヤングケアラー",
}

# A band, not the count: a household of seven in a small 校区 could be recognised.
HouseholdSizeBand = Literal["1", "2", "3-4", "5+"]
HOUSEHOLD_SIZE_BAND_LABELS: Final[dict[str, str]] = {
    "1": "単身",
    "2": "2人",
    "3-4": "3〜4人",
    "5+": "5人以上",
}


def household_size_band(members: int) -> HouseholdSizeBand:
    """The band of a household of ``members`` persons (at least one)."""
    if members < 1:
        raise ValueError("a household has at least one member")
    if members == 1:
        return "1"
    if members == 2:
        return "2"
    if members <= 4:
        return "3-4"
    return "5+"
