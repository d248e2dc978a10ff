"""Static types for the codes in ``enumerations.json``.

The JSON is the source of the codes and their Japanese labels; these ``Literal`` aliases
repeat the codes so that pydantic models and mypy can check them at the call site. A unit
test fails if the two ever differ, so a new code is added in both places or not at all.
"""

from __future__ import annotations

from typing import Literal

from kasane.reference.domains import Domain

EnumName = Literal[
    "domains",
    "agency_kinds",
    "operations",
    "areas",
    "channels",
    "consulted_by",
    "consent_methods",
    "age_bands",
    "consultation_outcomes",
    "meeting_types",
    "multilayer_agenda_kinds",
    "support_meeting_agenda_kinds",
    "legal_bases",
    "roles",
    "programs",
    "plan_end_kinds",
    "participation_stages",
    "partner_kinds",
    "partner_operations",
]

# partner_organisation: 連携機関 (kasane.reference.partners), not in agencies.json.
AgencyKind = Literal[
    "consultation_agency", "program_operator", "city_department", "partner_organisation"
]
Operation = Literal["delegated", "direct"]  # 委託 / 直営
Area = Literal["daily_life_area", "multiple_daily_life_areas", "citywide"]
Channel = Literal["in_person", "phone", "home_visit", "email", "from_agency", "watch_network"]
ConsultedBy = Literal["self", "family", "agency", "resident"]
ConsentMethod = Literal["written", "verbal"]
AgeBand = Literal[
    "0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90+"
]
ConsultationOutcome = Literal[
    "resolved_at_window", "connected", "to_multiagency", "to_outreach", "to_participation"
]
MeetingType = Literal["multilayer_meeting", "support_meeting"]
MultilayerAgendaKind = Literal["plan_appropriateness", "plan_evaluation", "resource_gap"]
SupportMeetingAgendaKind = Literal["information_sharing", "watch_policy", "urgent_case"]
LegalBasis = Literal["consent", "support_meeting"]
Role = Literal["counselor", "coordinator", "manager", "city_official", "auditor", "partner"]
Program = Literal["participation", "outreach", "multiagency"]
PlanEndKind = Literal["completed", "suspended"]  # 終結 / 中断
# 参加支援の段階: the ladder a 参加支援 plan's steps climb (published as a plan's goals).
ParticipationStage = Literal[
    "contact", "outing", "ibasho", "volunteer", "work_trial", "employment", "housing"
]

# 連携機関 (kasane.reference.partners): what kind of organisation, and who runs it.
PartnerKind = Literal[
    "employment_support",
    "housing_support",
    "npo_intermediary",
    "welfare_commissioners",
    "medical",
    "school",
    "other",
]
PartnerOperation = Literal[
    "national",
    "prefectural",
    "municipal",
    "social_welfare_corporation",
    "npo_corporation",
    "medical_corporation",
    "company",
    "commissioned_volunteers",
    "other",
]

# Which alias mirrors which enumeration; the sync test walks this table.
ENUM_TYPES: dict[str, object] = {
    "domains": Domain,
    "agency_kinds": AgencyKind,
    "operations": Operation,
    "areas": Area,
    "channels": Channel,
    "consulted_by": ConsultedBy,
    "consent_methods": ConsentMethod,
    "age_bands": AgeBand,
    "consultation_outcomes": ConsultationOutcome,
    "meeting_types": MeetingType,
    "multilayer_agenda_kinds": MultilayerAgendaKind,
    "support_meeting_agenda_kinds": SupportMeetingAgendaKind,
    "legal_bases": LegalBasis,
    "roles": Role,
    "programs": Program,
    "plan_end_kinds": PlanEndKind,
    "participation_stages": ParticipationStage,
    "partner_kinds": PartnerKind,
    "partner_operations": PartnerOperation,
}
