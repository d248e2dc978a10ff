"""つなぎ (referrals) on the portal: the labels staff read, and the pure rules of the forms.

Issue codes, agencies, programs and legal bases come from the shared reference data; so do
referral's decision codes (辞退理由, 結果, 取消理由, 状態), from
``kasane.reference.program_codes``: the one list referral validates against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final
from uuid import UUID

from kasane.auth.principal import Principal
from kasane.reference import enumerations, program_codes
from kasane.reference.agencies import all_agencies, operator_of_program
from kasane.reference.issue_codes import issue_code_labels
from kasane.reference.partners import active_partners
from portal.domain.labels import issue_label as issue_label
from portal.domain.labels import japanese as japanese
from portal.domain.labels import partner_label
from portal.domain.navigation import agency_name

STATUS_LABELS: Final[dict[str, str]] = program_codes.labels("referral_statuses")
DECLINE_REASONS: Final[dict[str, str]] = program_codes.labels("referral_decline_reasons")
OUTCOMES: Final[dict[str, str]] = program_codes.labels("referral_outcomes")
REVOKE_REASONS: Final[dict[str, str]] = program_codes.labels("referral_revoke_reasons")
LEGAL_BASES: Final = ("consent", "support_meeting")

# The service's field names → the form's (a 422/409 is shown next to the field it names).
SERVICE_FIELDS: Final[dict[str, str]] = {
    "to_agency": "target",
    "to_program": "target",
    "reason_codes": "reason_codes",
    "support_meeting_decision_id": "support_meeting_decision_id",
    "legal_basis": "legal_basis",
    "consent": "legal_basis",
    "note": "note",
    "case_id": "form",
    "body": "form",
    "status": "form",
    "agency": "form",
    "reason_code": "reason_code",
    "outcome_code": "outcome_code",
}


def program_label(code: str) -> str:
    return enumerations.labels("programs").get(code, code)


def legal_basis_label(code: str | None) -> str:
    return enumerations.labels("legal_bases").get(code or "", code or "")


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def agency_targets(principal: Principal) -> list[Option]:
    """Agencies a case can be referred to: 相談支援機関 and 事業者, never one's own, never
    the city (departments see figures, not persons); then the active 連携機関
    (docs/architecture/partners.md), marked as such."""
    agencies = [
        Option(f"agency:{a.id}", a.name_ja)
        for a in all_agencies()
        if a.kind != "city_department" and a.id != principal.agency
    ]
    partners = [Option(f"agency:{p.id}", partner_label(p.name_ja)) for p in active_partners()]
    return [*agencies, *partners]


def program_targets(principal: Principal) -> list[Option]:
    """Programs, except those the caller's own agency operates (the service refuses them)."""
    return [
        Option(f"program:{code}", f"{label}（{_operator_name(code)}）")
        for code, label in enumerations.labels("programs").items()
        if operator_of_program(code) != principal.agency
    ]


def _operator_name(program: str) -> str:
    operator = operator_of_program(program)
    return next((a.name_ja for a in all_agencies() if a.id == operator), operator)


def issue_options() -> list[Option]:
    return [Option(code, label) for code, label in issue_code_labels().items()]


@dataclass
class ReferralForm:
    """What the staff member typed, kept so a refused submit loses nothing."""

    idempotency_key: str
    target: str = ""
    reason_codes: list[str] = field(default_factory=list)
    legal_basis: str = "consent"
    consent_id: str = ""
    support_meeting_decision_id: str = ""
    note: str = ""

    @classmethod
    def from_form(cls, form: Mapping[str, Any], reason_codes: Sequence[str]) -> ReferralForm:
        def text(name: str) -> str:
            value = form.get(name)
            return value.strip() if isinstance(value, str) else ""

        return cls(
            idempotency_key=text("idempotency_key"),
            target=text("target"),
            # One order whatever the browser sends: a resend with the same key must be the
            # same request to the service (its Idempotency-Key fingerprint covers the body).
            reason_codes=sorted({c for c in reason_codes if isinstance(c, str)}),
            legal_basis=text("legal_basis") or "consent",
            consent_id=text("consent_id"),
            support_meeting_decision_id=text("support_meeting_decision_id"),
            note=text("note"),
        )


Errors = dict[str, str]  # form field → Japanese reason


def consent_in_force(consent: Mapping[str, Any], today: date) -> bool:
    """Same reading as kasane.consent: from the consent day, to the expiry day inclusive,
    until the withdrawal day (exclusive)."""
    start = _day(consent.get("consented_on"))
    end = _day(consent.get("expires_on"))
    withdrawn = _day(consent.get("withdrawn_on"))
    if start is None or start > today:
        return False
    if end is not None and today > end:
        return False
    return withdrawn is None or today < withdrawn


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def consent_scope_label(consent: Mapping[str, Any]) -> str:
    """「生活自立支援センター・参加支援」: whom a consent lets the case go to."""
    scope = consent.get("scope") or {}
    names = [agency_name(a) for a in scope.get("agencies") or []]
    names += [program_label(p) for p in scope.get("programs") or []]
    return "・".join(names) or "範囲なし"


def consent_covers(consent: Mapping[str, Any], target: str) -> bool:
    kind, _, code = target.partition(":")
    scope = consent.get("scope") or {}
    key = "agencies" if kind == "agency" else "programs"
    return code in (scope.get(key) or [])


def check(
    form: ReferralForm, consents: Sequence[Mapping[str, Any]], targets: set[str], today: date
) -> tuple[dict[str, Any] | None, Errors]:
    """The service's request body, or the errors to show; the service checks again (and
    alone decides whether the basis holds)."""
    errors: Errors = {}
    if form.target not in targets:
        errors["target"] = "つなぎ先を選んでください。"
    if not form.reason_codes:
        errors["reason_codes"] = "つなぎの理由を1つ以上選んでください。"
    elif any(c not in issue_code_labels() for c in form.reason_codes):
        errors["reason_codes"] = "一覧にない理由が含まれています。"
    body: dict[str, Any] = {"reason_codes": form.reason_codes}
    errors.update(_basis_errors(form, consents, today, check_scope="target" not in errors))
    if form.legal_basis == "support_meeting":
        body["support_meeting_decision_id"] = _uuid(form.support_meeting_decision_id)
    if len(form.note) > 2000:
        errors["note"] = "申し送りは2000文字以内で入力してください。"
    kind, _, code = form.target.partition(":")
    body["to_agency" if kind == "agency" else "to_program"] = code
    if form.note:
        body["note"] = form.note
    return (None, errors) if errors else (body, {})


def _basis_errors(
    form: ReferralForm, consents: Sequence[Mapping[str, Any]], today: date, *, check_scope: bool
) -> Errors:
    if form.legal_basis == "support_meeting":
        if _uuid(form.support_meeting_decision_id) is None:
            return {"support_meeting_decision_id": "支援会議の決定番号（UUID）を入力してください。"}
        return {}
    if form.legal_basis != "consent":
        return {"legal_basis": "根拠を選んでください。"}
    # The service itself takes the newest valid consent covering the receiver; the one
    # chosen here is checked so staff learn before sending that it does not cover them.
    chosen = next((c for c in consents if c.get("consent_id") == form.consent_id), None)
    if chosen is None or not consent_in_force(chosen, today):
        return {"legal_basis": "有効な本人同意を選んでください。"}
    if check_scope and not consent_covers(chosen, form.target):
        return {"legal_basis": "選んだ同意の範囲に、このつなぎ先が含まれていません。"}
    return {}


def _uuid(value: str) -> str | None:
    try:
        return str(UUID(value))
    except ValueError:
        return None


def service_errors(body: object, fields: Mapping[str, str] = SERVICE_FIELDS) -> Errors:
    """A service's refusal body → {form field: Japanese reason}; unknown fields go on top."""
    errors: Errors = {}
    items = body.get("errors", []) if isinstance(body, dict) else []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        name = str(item.get("field", "")).split(".", 1)[0]
        errors.setdefault(fields.get(name, "form"), japanese(str(item.get("reason", ""))))
    return errors or {"form": "送信できませんでした。入力内容をご確認ください。"}


@dataclass(frozen=True)
class Actions:
    """What the signed-in agency may do with a referral now (the service decides again)."""

    accept: bool = False
    decline: bool = False
    complete: bool = False
    revoke: bool = False


def actions(referral: Mapping[str, Any], principal: Principal) -> Actions:
    status = referral.get("status")
    receiver = referral.get("receiver_agency_id") == principal.agency
    sender = referral.get("from_agency_id") == principal.agency
    open_ = status in ("requested", "accepted")
    return Actions(
        accept=receiver and status == "requested",
        decline=receiver and status == "requested",
        complete=receiver and status == "accepted",
        revoke=open_ and (sender or "manager" in principal.roles),
    )


def target_label(referral: Mapping[str, Any]) -> str:
    program = referral.get("to_program")
    if program:
        return program_label(str(program))
    return agency_name(str(referral.get("to_agency_id") or referral.get("receiver_agency_id")))
