"""The case screens' service calls: the list, the case page, its forms, the printed sheet.

Every read is intake's (or meetings') own, with the user's token, so each is audited there.
The forms turn staff input (和暦 or 西暦 dates) into the services' bodies; a refusal comes
back as field errors on the same ``Form`` (``portal.domain.cases``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.domain.cases import TABS, Form, occurred_at, service_errors, staff_date
from portal.store.services import Answer, ServiceDown, Services

REFUSED = "この操作はできませんでした"


class CaseNotFound(Exception):
    """No such case, or not one this user may see (intake does not tell which)."""


@dataclass
class CaseList:
    tab: str
    items: list[dict[str, Any]]
    offset: int


async def list_cases(services: Services, token: str, tab: str, offset: int, size: int) -> CaseList:
    status, agency, _ = TABS[tab]
    answer = await services.get(
        token,
        "intake",
        "/cases",
        status=status,
        agency=agency,
        names="true",
        limit=size,
        offset=offset,
    )
    if not answer.ok or not isinstance(answer.body, dict):
        raise ServiceDown("intake")
    return CaseList(tab, list(answer.body.get("items", [])), offset)


@dataclass
class CasePage:
    case: dict[str, Any]
    records: list[dict[str, Any]]
    household: dict[str, Any] | None
    agenda: list[dict[str, Any]] | None  # None: meetings did not answer
    plans: list[dict[str, Any]] = field(default_factory=list)  # those I may see
    unavailable: list[str] = field(default_factory=list)


async def _household(services: Services, token: str, household_id: str | None) -> Answer | None:
    if not household_id:
        return None
    return await services.get(token, "intake", f"/households/{household_id}")


RECORD_PAGES = 5  # 支援経過記録 shown: up to 1,000 entries (intake pages them, oldest first)


async def _records(services: Services, token: str, case_id: str) -> Answer:
    """The whole timeline (each page is one audited read in intake)."""
    items: list[dict[str, Any]] = []
    after: str | None = None
    for _ in range(RECORD_PAGES):
        path = f"/cases/{case_id}/records"
        answer = await services.get(token, "intake", path, limit=200, after=after)
        if not answer.ok or not isinstance(answer.body, dict):
            return answer
        items.extend(answer.body.get("items", []))
        after = answer.body.get("next_after")
        if after is None:
            break
    return Answer(200, {"items": items})


async def case_page(services: Services, token: str, case_id: str) -> CasePage:
    answer = await services.get(token, "intake", f"/cases/{case_id}")
    if answer.status in (404, 403, 422) or not isinstance(answer.body, dict) or not answer.ok:
        raise CaseNotFound(case_id)
    case = answer.body
    records, household, agenda, plans = await asyncio.gather(
        _records(services, token, case_id),
        _household(services, token, case.get("household_id")),
        # Meeting items of this case from the day it opened (past and coming meetings).
        services.get(token, "meetings", "/agenda/mine", since=case.get("opened_on"), limit=200),
        services.get(token, "meetings", f"/cases/{case_id}/plans"),
        return_exceptions=True,
    )
    page = CasePage(case, [], None, None)
    if isinstance(records, Answer) and records.ok and isinstance(records.body, dict):
        # Newest first: the timeline is read from the latest entry.
        page.records = list(reversed(records.body.get("items", [])))
    elif isinstance(records, BaseException) and not isinstance(records, ServiceDown):
        raise records
    if isinstance(household, Answer) and household.ok:
        page.household = household.body
    if isinstance(agenda, Answer) and agenda.ok and isinstance(agenda.body, dict):
        page.agenda = [i for i in agenda.body.get("items", []) if i.get("case_id") == case_id]
    elif isinstance(agenda, ServiceDown) or isinstance(agenda, Answer):
        page.unavailable.append("meetings")
    elif isinstance(agenda, BaseException):
        raise agenda
    if isinstance(plans, Answer) and plans.ok and isinstance(plans.body, dict):
        page.plans = list(plans.body.get("items", []))
    return page


async def _post(
    services: Services, token: str, form: Form, path: str, body: dict[str, Any]
) -> bool:
    """Send the form once (its Idempotency-Key); False with field errors when refused."""
    answer = await services.call(
        token,
        "intake",
        "POST",
        path,
        json=body,
        headers={"Idempotency-Key": str(form.values.get("idempotency_key") or "")},
    )
    if answer.ok:
        return True
    service_errors(form, answer.body, REFUSED)
    return False


async def add_record(services: Services, token: str, case_id: str, form: Form, today: date) -> bool:
    at = occurred_at(form, today)
    if not str(form.values.get("body") or "").strip():
        form.error("body", "内容を入力してください")
    if form.errors or at is None:
        return False
    body = {"kind": form.values.get("kind"), "occurred_at": at, "body": form.values["body"]}
    return await _post(services, token, form, f"/cases/{case_id}/records", body)


async def record_consent(services: Services, token: str, case_id: str, form: Form) -> bool:
    consented = staff_date(form, "consented_on", "同意日")
    expires = staff_date(form, "expires_on", "有効期限", required=False)
    if not form.values.get("person_id"):
        form.error("person_id", "同意した人を選んでください")
    if form.errors or consented is None:
        return False
    body = {
        "person_id": form.values["person_id"],
        "scope": {
            "agencies": form.values.get("agencies", []),
            "programs": form.values.get("programs", []),
            "meeting_types": form.values.get("meeting_types", []),
        },
        "method": form.values.get("method"),
        "consented_on": consented.isoformat(),
        "expires_on": expires.isoformat() if expires else None,
    }
    return await _post(services, token, form, f"/cases/{case_id}/consents", body)


async def withdraw_consent(services: Services, token: str, consent_id: str, form: Form) -> bool:
    withdrawn = staff_date(form, "withdrawn_on", "撤回日")
    if withdrawn is None:
        return False
    body = {"withdrawn_on": withdrawn.isoformat()}
    return await _post(services, token, form, f"/consents/{consent_id}/withdraw", body)


async def close_case(services: Services, token: str, case_id: str, form: Form) -> bool:
    closed = staff_date(form, "closed_on", "終結日")
    if not form.values.get("reason"):
        form.error("reason", "終結の理由を選んでください")
    if form.errors or closed is None:
        return False
    note = str(form.values.get("note") or "").strip()
    body = {"reason": form.values["reason"], "closed_on": closed.isoformat(), "note": note or None}
    return await _post(services, token, form, f"/cases/{case_id}/close", body)


async def reopen_case(services: Services, token: str, case_id: str, form: Form) -> bool:
    reopened = staff_date(form, "reopened_on", "再開日")
    if not form.values.get("reason"):
        form.error("reason", "再開の理由を選んでください")
    if form.errors or reopened is None:
        return False
    note = str(form.values.get("note") or "").strip()
    body = {
        "reason": form.values["reason"],
        "reopened_on": reopened.isoformat(),
        "note": note or None,
    }
    return await _post(services, token, form, f"/cases/{case_id}/reopen", body)


async def sheet(services: Services, token: str, case_id: str) -> str:
    """intake's own 申込票 (its print is audited there as a print)."""
    answer = await services.get(token, "intake", f"/cases/{case_id}/sheet")
    if not answer.ok or not answer.text:
        raise CaseNotFound(case_id)
    return answer.text
