"""世帯概要 of a case as the 会議資料 shows it: codes from intake's events, Japanese labels.

meetings never holds names: a pack or the minutes describe a case by 年代, 校区 name,
household flags and size band, and its issue codes, which is what the members need to
decide and what events may carry (docs/architecture/meeting-packs.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kasane.households import HOUSEHOLD_SITUATION_LABELS, HOUSEHOLD_SIZE_BAND_LABELS
from kasane.reference.enumerations import labels
from kasane.reference.issue_codes import issue_code_labels
from kasane.reference.school_districts import get_school_district, is_valid_school_district
from meetings.domain.plans import Plan


@dataclass(frozen=True)
class CaseProfile:
    case_id: Any
    age_band: str | None
    school_district_code: str | None
    issue_codes: list[str]
    is_complex: bool
    between_systems: bool
    household_situations: list[str] | None  # None: no household registered
    household_size_band: str | None


def age_band_label(band: str | None) -> str | None:
    """ "40-49" → 40代, "0-9" → 10歳未満, "90+" → 90歳以上."""
    if band is None:
        return None
    if band == "90+":
        return "90歳以上"
    low = band.split("-", 1)[0]
    return "10歳未満" if low == "0" else f"{low}代"


def school_district_name(code: str | None) -> str | None:
    if code is None:
        return None
    return get_school_district(code).name_ja if is_valid_school_district(code) else code


def issue_labels(codes: list[str]) -> list[dict[str, str]]:
    labels = issue_code_labels()
    return [{"code": c, "label": labels.get(c, c)} for c in codes]


def profile_out(profile: CaseProfile | None) -> dict[str, Any] | None:
    """The case summary of an agenda item: codes with their labels (JSON and the pack)."""
    if profile is None:
        return None
    situations = profile.household_situations
    return {
        "age_band": profile.age_band,
        "age_band_label": age_band_label(profile.age_band),
        "school_district_code": profile.school_district_code,
        "school_district_name": school_district_name(profile.school_district_code),
        "issues": issue_labels(profile.issue_codes),
        "is_complex": profile.is_complex,
        "between_systems": profile.between_systems,
        "household": None
        if situations is None and profile.household_size_band is None
        else {
            "situations": [
                {"code": s, "label": HOUSEHOLD_SITUATION_LABELS.get(s, s)} for s in situations or []
            ],
            "size_band": profile.household_size_band,
            "size_band_label": HOUSEHOLD_SIZE_BAND_LABELS.get(
                profile.household_size_band or "", profile.household_size_band
            ),
        },
    }


def plan_goals(plan: Plan) -> list[dict[str, str]]:
    """A plan's goals as the pack lists them: a 多機関協働 plan's short-term goals (written
    here), or another program's goal codes with labels (参加支援: the planned stages)."""
    if plan.content:
        return [{"code": "", "label": g} for g in plan.content.get("short_term_goals", [])]
    stages = labels("participation_stages") if plan.program == "participation" else {}
    return [{"code": c, "label": stages.get(c, c)} for c in plan.goal_codes or []]
