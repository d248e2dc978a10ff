"""相談受付 and 本人検索: the calls to intake, in order, as the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portal.domain import consultation as rules
from portal.domain.consultation import Draft, Plan, field_errors, step_key
from portal.store.services import Answer, Services


@dataclass
class Submitted:
    """What a submit came to: the case, or why the form comes back."""

    case_id: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    duplicates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # prefix → candidates


def _errors(answer: Answer, fields: dict[str, str], prefix: str = "") -> dict[str, str]:
    body = answer.body if isinstance(answer.body, dict) else {}
    found = field_errors(body.get("errors") or [], fields, prefix)
    if not found:
        message = str(body.get("message", "")) or f"受け付けられませんでした（{answer.status}）"
        found = {"form": rules.japanese(message)}
    return found


async def found_person(services: Services, token: str, person_id: str) -> dict[str, Any] | None:
    """The 本人 chosen in 本人検索 (intake audits the read)."""
    answer = await services.get(token, "intake", f"/persons/{person_id}")
    return answer.body if answer.ok and isinstance(answer.body, dict) else None


async def duplicate_candidates(
    services: Services, token: str, plan: Plan
) -> dict[str, list[dict[str, Any]]]:
    """重複候補 intake suggests for each person about to be registered."""
    found: dict[str, list[dict[str, Any]]] = {}
    for person in plan.new_persons:
        probe = {k: person.body[k] for k in ("kana", "birth_date", "address") if k in person.body}
        answer = await services.call(token, "intake", "POST", "/persons/duplicates", json=probe)
        if answer.ok and isinstance(answer.body, dict) and answer.body.get("candidates"):
            found[person.prefix] = list(answer.body["candidates"])
    return found


async def _post(
    services: Services, token: str, path: str, body: Any, form_key: str, step: str
) -> Answer:
    key = step_key(form_key, step, body)
    return await services.call(
        token, "intake", "POST", path, json=body, headers={"Idempotency-Key": key}
    )


async def _register_persons(
    services: Services, token: str, plan: Plan, form_key: str
) -> tuple[dict[str, str], dict[str, str]]:
    ids: dict[str, str] = {}
    errors: dict[str, str] = {}
    for person in plan.new_persons:
        answer = await _post(services, token, "/persons", person.body, form_key, person.prefix)
        if answer.ok:
            ids[person.prefix] = str(answer.body["person_id"])
        else:
            errors |= _errors(answer, rules.PERSON_ERROR_FIELDS, person.prefix)
    if plan.self_person_id:
        ids["p0"] = plan.self_person_id
    return ids, errors


async def submit(
    services: Services, token: str, draft: Draft, now: datetime, found_birth: date | None
) -> Submitted:
    plan, errors = rules.plan(draft, now, found_birth)
    if errors:
        return Submitted(errors=errors)
    if not draft.checked("confirm_new"):
        duplicates = await duplicate_candidates(services, token, plan)
        if duplicates:
            return Submitted(duplicates=duplicates)
        # Checked once: a resubmit of this form (after intake refused a later step) must not
        # find the persons this form itself registered as 重複候補.
        draft.values["confirm_new"] = "on"
    form_key = draft.get("idempotency_key")
    ids, errors = await _register_persons(services, token, plan, form_key)
    if errors:
        return Submitted(errors=errors)
    consultation = {**plan.consultation, "person_id": ids["p0"]}
    if len(plan.rows) > 1 or plan.rows[0].care_role:
        members = [
            {"person_id": ids[r.prefix], "relationship": r.relationship}
            | ({"care_role": r.care_role} if r.care_role else {})
            for r in plan.rows
        ]
        answer = await _post(
            services, token, "/households", {"members": members}, form_key, "household"
        )
        if not answer.ok:
            return Submitted(errors=_errors(answer, rules.HOUSEHOLD_ERROR_FIELDS))
        consultation["household_id"] = answer.body["household_id"]
    answer = await _post(services, token, "/consultations", consultation, form_key, "consultation")
    if not answer.ok:
        return Submitted(errors=_errors(answer, rules.CONSULTATION_ERROR_FIELDS))
    case_id = str(answer.body["case_id"])
    if plan.consent is not None:
        consent = {**plan.consent, "person_id": ids["p0"]}
        answer = await _post(
            services, token, f"/cases/{case_id}/consents", consent, form_key, "consent"
        )
        if not answer.ok:
            return Submitted(errors=_errors(answer, rules.CONSENT_ERROR_FIELDS))
    return Submitted(case_id=case_id)


SEARCH_FIELDS = ("name", "kana", "birth_date", "address")


@dataclass
class Search:
    criteria: dict[str, str]
    items: list[dict[str, Any]] | None = None  # None: not searched (yet)
    errors: dict[str, str] = field(default_factory=dict)


async def search(services: Services, token: str, criteria: dict[str, str]) -> Search:
    """本人検索 (intake audits it as one search). Dates go to intake as typed: 和暦 or 西暦."""
    given = {k: v for k, v in criteria.items() if v}
    if not given:
        return Search(criteria, errors={"form": "検索条件を一つ以上入力してください"})
    if "birth_date" in given:
        try:
            given["birth_date"] = rules.parse_date(given["birth_date"]).isoformat()
        except rules.WarekiError as exc:
            return Search(criteria, errors={"birth_date": rules.japanese(str(exc))})
    answer = await services.call(
        token, "intake", "POST", "/persons/search", json={**given, "limit": 50}
    )
    if not answer.ok:
        fields = {k: k for k in SEARCH_FIELDS}
        return Search(criteria, errors=_errors(answer, fields))
    return Search(criteria, items=list(answer.body.get("items", [])))
