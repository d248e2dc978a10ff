"""相談受付 form (pure): what staff typed → the intake requests, and errors by form field.

One form makes up to four requests to intake, in order: ``POST /persons`` for each new
person, ``POST /households`` (when household members are given), ``POST /consultations``,
``POST /cases/{id}/consents`` (when consent is given). Everything that can be checked
without intake is checked here first (dates in 和暦 or 西暦, required parts, a complete
consent), so a failed submit writes nothing in the common case; intake validates the rest
and its 422 field errors are mapped back to the form's fields.

Each request carries its own Idempotency-Key derived from the form's key, the step and the
body (``step_key``): a resent form sends the same bodies, so intake answers each step with
the stored response and one consultation exists. A step whose body changed (staff corrected
a name after intake refused the consultation) is a new request, as it should be.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kasane.households import MemberFacts, age_on, household_situations
from kasane.reference.age_bands import age_band_of
from kasane.wareki import WarekiError as WarekiError
from kasane.wareki import parse_date as parse_date
from portal.domain.labels import japanese as japanese

MEMBER_ROWS = 3  # household members besides 本人 on one form (more: on the case page)
PERSON_FIELDS = ("name", "kana", "birth", "sex", "address", "phone")
LISTS = ("issue_codes", "scope_agencies", "scope_programs", "scope_meeting_types")
_TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:：]([0-5][0-9])$")


@dataclass
class Draft:
    """The form as typed: re-rendered unchanged after a failed submit."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def checked(self, name: str) -> bool:
        return self.get(name) in ("on", "true", "1")


def draft_from(items: Iterable[tuple[str, object]]) -> Draft:
    """The posted form's (name, value) pairs → a Draft; unknown names are ignored."""
    known = set(_value_names())
    draft = Draft(values={}, lists={k: [] for k in LISTS})
    for name, value in items:
        if not isinstance(value, str):
            continue
        if name in draft.lists:
            draft.lists[name].append(value)
        elif name in known:
            draft.values[name] = value
    return draft


def _value_names() -> list[str]:
    rows = [f"p0_{f}" for f in (*PERSON_FIELDS, "care_role")] + [
        f"m{i}_{f}"
        for i in range(1, MEMBER_ROWS + 1)
        for f in ("name", "kana", "birth", "sex", "relationship", "care_role")
    ]
    return [
        "person_id",
        *rows,
        "received_date",
        "received_time",
        "channel",
        "consulted_by",
        "school_district_code",
        "age_band",
        "between_flag",
        "between_reason",
        "narrative",
        "outcome",
        "consent_method",
        "consent_on",
        "consent_expires",
        "confirm_new",
        "idempotency_key",
    ]


@dataclass(frozen=True)
class NewPerson:
    prefix: str  # "p0" (本人) or "m1".."m3": where its errors go
    body: dict[str, Any]


@dataclass(frozen=True)
class HouseholdRow:
    prefix: str
    relationship: str
    care_role: str | None


@dataclass
class Plan:
    new_persons: list[NewPerson]
    self_person_id: str | None  # 本人 found by search; else the first new person
    rows: list[HouseholdRow]  # 本人 first
    consultation: dict[str, Any]  # without person_id and household_id (known after step 1)
    consent: dict[str, Any] | None  # without person_id


def member_prefixes(draft: Draft) -> list[str]:
    """The household rows staff filled (a name or ふりがな)."""
    return [
        f"m{i}"
        for i in range(1, MEMBER_ROWS + 1)
        if draft.get(f"m{i}_name") or draft.get(f"m{i}_kana")
    ]


def _date(draft: Draft, name: str, errors: dict[str, str]) -> date | None:
    text = draft.get(name)
    if not text:
        return None
    try:
        return parse_date(text)
    except WarekiError as exc:
        errors[name] = japanese(str(exc))
        return None


def _person_body(draft: Draft, prefix: str, errors: dict[str, str], today: date) -> dict[str, Any]:
    birth = _date(draft, f"{prefix}_birth", errors)
    if birth is not None and birth > today:
        errors[f"{prefix}_birth"] = "生年月日が未来の日付です"
        birth = None
    for part, label in (("name", "氏名"), ("kana", "ふりがな")):
        if not draft.get(f"{prefix}_{part}"):
            errors[f"{prefix}_{part}"] = f"{label}を入力してください"
    body: dict[str, Any] = {
        "name": draft.get(f"{prefix}_name"),
        "kana": draft.get(f"{prefix}_kana"),
    }
    if birth is not None:
        body["birth_date"] = birth.isoformat()
    for part in ("sex", "address", "phone"):
        if draft.get(f"{prefix}_{part}"):
            body[part] = draft.get(f"{prefix}_{part}")
    return body


def _received_at(draft: Draft, errors: dict[str, str]) -> str | None:
    day = _date(draft, "received_date", errors)
    if not draft.get("received_date"):
        errors["received_date"] = "受付日を入力してください"
    match = _TIME.match(draft.get("received_time"))
    if match is None:
        errors["received_time"] = "受付時刻を「14:05」のように入力してください"
    if day is None or match is None:
        return None
    # Staff enter Japan time (the services read a naive time as JST too).
    return f"{day.isoformat()}T{int(match[1]):02d}:{match[2]}:00+09:00"


def _consent(draft: Draft, errors: dict[str, str]) -> dict[str, Any] | None:
    scope = {
        "agencies": draft.lists.get("scope_agencies", []),
        "programs": draft.lists.get("scope_programs", []),
        "meeting_types": draft.lists.get("scope_meeting_types", []),
    }
    given = any(scope.values()) or draft.get("consent_method") or draft.get("consent_on")
    if not given:
        return None
    on = _date(draft, "consent_on", errors)
    expires = _date(draft, "consent_expires", errors)
    if not any(scope.values()):
        errors["consent_scope"] = "同意の範囲（機関・事業・会議）を一つ以上選んでください"
    if not draft.get("consent_method"):
        errors["consent_method"] = "同意の方法を選んでください"
    if not draft.get("consent_on"):
        errors["consent_on"] = "同意日を入力してください"
    if on and expires and expires <= on:
        errors["consent_expires"] = "有効期限は同意日より後の日付にしてください"
    body: dict[str, Any] = {
        "scope": scope,
        "method": draft.get("consent_method"),
        "consented_on": on.isoformat() if on else None,
    }
    if expires:
        body["expires_on"] = expires.isoformat()
    return body


def self_birth(draft: Draft, found_birth: date | None) -> date | None:
    """本人's birth date: the found person's, or the one typed for a new 本人."""
    if draft.get("person_id"):
        return found_birth
    try:
        return parse_date(draft.get("p0_birth")) if draft.get("p0_birth") else None
    except WarekiError:
        return None


def situations(draft: Draft, found_birth: date | None, today: date) -> list[str]:
    """8050 / ダブルケア / ヤングケアラー as the household stands on the form."""

    def age(birth: date | None) -> int | None:
        return age_on(birth, today) if birth else None

    def typed_birth(prefix: str) -> date | None:
        try:
            text = draft.get(f"{prefix}_birth")
            return parse_date(text) if text else None
        except WarekiError:
            return None

    facts = [
        MemberFacts("self", draft.get("p0_care_role") or None, age(self_birth(draft, found_birth)))
    ]
    facts += [
        MemberFacts(
            draft.get(f"{p}_relationship"),
            draft.get(f"{p}_care_role") or None,
            age(typed_birth(p)),
        )
        for p in member_prefixes(draft)
    ]
    return household_situations(facts)


def _consultation(
    draft: Draft, errors: dict[str, str], now: datetime, birth: date | None
) -> dict[str, Any]:
    received_at = _received_at(draft, errors)
    band = draft.get("age_band")
    if not band and birth is not None and birth <= now.date():
        band = age_band_of(age_on(birth, now.date()))
    if not band:
        errors["age_band"] = "生年月日が分からないときは年代を選んでください"
    if not draft.get("school_district_code"):
        errors["school_district_code"] = "校区を選んでください"
    if not draft.lists.get("issue_codes"):
        errors["issue_codes"] = "課題を一つ以上選んでください"
    body: dict[str, Any] = {
        "received_at": received_at,
        "issue_codes": draft.lists.get("issue_codes", []),
        "age_band": band,
        "school_district_code": draft.get("school_district_code"),
        "channel": draft.get("channel"),
    }
    for name in ("consulted_by", "narrative", "outcome"):
        if draft.get(name):
            body[name] = draft.get(name)
    if draft.checked("between_flag"):
        body["between_systems"] = {"flag": True, "reason": draft.get("between_reason") or None}
    return body


def plan(draft: Draft, now: datetime, found_birth: date | None) -> tuple[Plan, dict[str, str]]:
    """The requests this form makes, and the errors found before making any."""
    errors: dict[str, str] = {}
    new_persons = []
    if not draft.get("person_id"):
        new_persons.append(NewPerson("p0", _person_body(draft, "p0", errors, now.date())))
    rows = [HouseholdRow("p0", "self", draft.get("p0_care_role") or None)]
    for prefix in member_prefixes(draft):
        new_persons.append(NewPerson(prefix, _person_body(draft, prefix, errors, now.date())))
        if not draft.get(f"{prefix}_relationship"):
            errors[f"{prefix}_relationship"] = "続柄を選んでください"
        rows.append(
            HouseholdRow(
                prefix,
                draft.get(f"{prefix}_relationship"),
                draft.get(f"{prefix}_care_role") or None,
            )
        )
    birth = self_birth(draft, found_birth)
    consultation = _consultation(draft, errors, now, birth)
    consent = _consent(draft, errors)
    return (
        Plan(new_persons, draft.get("person_id") or None, rows, consultation, consent),
        errors,
    )


def step_key(form_key: str, step: str, body: Any) -> str:
    """The Idempotency-Key of one request of this form (same form + step + body → same key)."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode())
    return f"{form_key}.{step}.{digest.hexdigest()[:20]}"


PERSON_ERROR_FIELDS = {"birth_date": "birth"}
CONSULTATION_ERROR_FIELDS = {
    "received_at": "received_date",
    "issue_codes": "issue_codes",
    "age_band": "age_band",
    "school_district_code": "school_district_code",
    "channel": "channel",
    "consulted_by": "consulted_by",
    "narrative": "narrative",
    "outcome": "outcome",
    "between_systems": "between_reason",
}
CONSENT_ERROR_FIELDS = {
    "scope": "consent_scope",
    "method": "consent_method",
    "consented_on": "consent_on",
    "expires_on": "consent_expires",
}
HOUSEHOLD_ERROR_FIELDS = {"members": "household"}


def field_errors(
    errors: Iterable[dict[str, Any]], fields: dict[str, str], prefix: str = ""
) -> dict[str, str]:
    """A service's 422 ``errors[]`` → {form field: Japanese reason}; unknown fields → "form"."""
    found: dict[str, str] = {}
    for error in errors:
        head = str(error.get("field", "")).split(".")[0]
        name = fields.get(head, head if prefix else "")
        target = f"{prefix}_{name}" if prefix and name else (name or "form")
        found.setdefault(target, japanese(str(error.get("reason", ""))))
    return found
