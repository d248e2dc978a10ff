"""meetings' own code lists (English ids, Japanese labels), beside the shared reference data.

Shared lists (meeting types, agenda kinds, legal bases, programs, plan end kinds) come from
``kasane.reference``; so do meetings' own decisions (what a role in a plan is, why a plan is
returned or ended, what kind of 社会資源 is missing, the outcomes): their one home is
``kasane.reference.program_codes``, read here and by the portal.
"""

from __future__ import annotations

from typing import Final

from kasane.reference import program_codes
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

# Meetings' own decisions, kept in kasane.reference.program_codes: meetings validates
# against them and the portal labels with them (one list, two readers).
ROLE_CODES: Final = program_codes.labels("meeting_roles")  # 役割分担
RETURN_REASONS: Final = program_codes.labels("meeting_return_reasons")  # プランの差戻し理由
# プラン終了の理由: 終結 (completed) and 中断 (suspended) each have their own.
END_REASONS: Final = program_codes.meeting_end_reasons()
# 社会資源の不足の分類 (社会資源の充足状況の把握と開発).
GAP_CATEGORIES: Final = program_codes.labels("meeting_gap_categories")
# 決定の種類 (outcome of an agenda item).
OUTCOME_LABELS: Final = program_codes.labels("meeting_outcomes")
