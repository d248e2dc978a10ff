"""Who may see what at meetings (docs/architecture/consent-and-legal-bases.md).

- Case work needs a case role (counselor, coordinator, manager); ``city_official`` and
  ``auditor`` see aggregates only.
- The coordinator agency (社協, which runs the meetings) sees every item.
- The case's 主担当 (lead agency) and the agency presenting the item always see that item:
  it is their own case and their own report, whatever the consent names.
- A member agency sees the items of the meetings it is a member of: a 支援会議 only once 社協
  has admitted it to that meeting and its 守秘義務 pledge for the fiscal year is recorded; a
  重層的支援会議 item only while the case's consent is valid and only if the consent names
  this agency (``kasane.consent``: an empty agency scope names nobody); a member added for
  particular cases sees those cases only.
- A plan is seen by the coordinator, the program that owns it, the agencies holding an
  active role in it, and members of a 重層的支援会議 that has it on the agenda.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from kasane.auth import Principal
from kasane.auth.roles import CASE_WORK_ROLES
from kasane.errors import Forbidden, Invalid
from kasane.reference.agencies import operators_of, service_of_program
from kasane.reference.partners import is_known_party
from meetings.domain.agenda import AgendaItem
from meetings.domain.codes import COORDINATOR_AGENCIES
from meetings.domain.consent import Consent, valid_consent
from meetings.domain.meeting import Meeting
from meetings.domain.members import Member
from meetings.domain.plans import Plan


def is_coordinator(agency: str) -> bool:
    """The operator of meetings (社協), from the reference data (``operators_of``)."""
    return agency in COORDINATOR_AGENCIES


def may_do_case_work(principal: Principal) -> bool:
    return principal.has_any(*CASE_WORK_ROLES)


def pack_denial(meeting: Meeting, agency: str, member: Member | None) -> Forbidden | None:
    """Why ``agency`` may not receive the meeting pack at all (None: it may); the caller
    raises it after auditing the refusal."""
    if is_coordinator(agency):
        return None
    if member is None:
        return Forbidden(
            "agency",
            f"{agency} はこの会議の参加機関ではありません / not a member of this meeting",
        )
    if meeting.meeting_type == "support_meeting" and member.admitted_on is None:
        return Forbidden(
            "agency",
            "社協がこの支援会議への参加を決定していません / not admitted to this 支援会議 by "
            "shakyo",
        )
    if meeting.meeting_type == "support_meeting" and member.pledged_on is None:
        return Forbidden(
            "pledge",
            "今年度の守秘義務の誓約が記録されていません（社会福祉法第106条の6） / "
            "no confidentiality pledge recorded for this fiscal year",
        )
    return None


def pack_recipient(agency: str, for_agency: str | None) -> str:
    """Whose pack is prepared: the caller's own, or (社協 only, for printing) a member's."""
    if for_agency is None or for_agency == agency:
        return agency
    if not is_coordinator(agency):
        raise Forbidden(
            "for_agency", "他機関向けの資料は社協のみ / only shakyo prepares packs for others"
        )
    if not is_known_party(for_agency):
        raise Invalid("for_agency", f"未知の機関 / unknown agency id: {for_agency}")
    return for_agency


def item_hidden_reason(
    meeting: Meeting,
    agency: str,
    member: Member | None,
    item: AgendaItem,
    consents: Sequence[Consent],
    lead_agency_id: str | None,
    today: date,
) -> str | None:
    """None if ``agency`` may see the item's detail; otherwise why not (shown in the pack)."""
    if is_coordinator(agency) or agency in (lead_agency_id, item.presenting_agency_id):
        return None
    denied = pack_denial(meeting, agency, member)
    if denied is not None:
        return denied.reason
    assert member is not None
    if not member.sees_case(item.case_id):
        return "他のケースのための参加です / joined for other cases"
    if item.legal_basis == "consent":
        consent = valid_consent(consents, meeting.meeting_type, meeting.meeting_date, today)
        if consent is None:
            return "本人同意が撤回または失効しました / consent withdrawn or expired"
        if not consent.names_agency(agency):
            return "本人同意の範囲外の機関です / this agency is outside the consent's scope"
    return None


def plan_owner_agencies(program: str) -> frozenset[str]:
    """The operators of the program that wrote the plan (社協 for 多機関協働/アウトリーチ)."""
    return frozenset(a.id for a in operators_of(service_of_program(program)))


def plan_access_basis(
    agency: str,
    plan: Plan,
    role_agencies: Iterable[str],
    agenda_visible: bool,
) -> str | None:
    """The basis on which ``agency`` may read ``plan``, or None (→ 404, not revealed)."""
    if is_coordinator(agency):
        return "operator"
    if agency in plan_owner_agencies(plan.program):
        return "owner"
    if agency in set(role_agencies):
        return "plan_role"
    if agenda_visible:
        return "consent"
    return None
