"""What the outreach and 参加支援 forms share: reading a form, dates typed in 和暦 or 西暦,
and a service's refusal turned into errors next to the fields. Pure.

A service answers a refusal as ``{"errors": [{"field", "reason"}]}`` with the reason in
"日本語 / English"; staff read the Japanese part, next to the field they typed it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from kasane.wareki import WarekiError, parse_date
from portal.domain.labels import japanese as japanese


@dataclass
class FormErrors:
    """Errors by form field (in the order the form shows them)."""

    by_field: dict[str, str] = field(default_factory=dict)
    notice: str | None = None  # a refusal not about one field (shown at the top)

    def add(self, name: str, reason: str) -> None:
        self.by_field.setdefault(name, reason)

    def __bool__(self) -> bool:
        return bool(self.by_field) or self.notice is not None


def text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def required_date(
    form: Any, name: str, label: str, errors: FormErrors, *, today: date | None = None
) -> date | None:
    """A date typed as 令和7年5月8日, R7.5.8 or 2025-05-08; an error names what is wrong."""
    raw = text(form, name)
    if not raw:
        errors.add(name, f"{label}を入力してください")
        return None
    return _parse(raw, name, label, errors, today)


def optional_date(form: Any, name: str, label: str, errors: FormErrors) -> date | None:
    raw = text(form, name)
    return _parse(raw, name, label, errors, None) if raw else None


def _parse(raw: str, name: str, label: str, errors: FormErrors, today: date | None) -> date | None:
    try:
        day = parse_date(raw)
    except WarekiError as exc:
        errors.add(name, f"{label}: {japanese(str(exc))}")
        return None
    if today is not None and day > today:
        errors.add(name, f"{label}に未来の日付は入力できません")
        return None
    return day


def choice(form: Any, name: str, allowed: dict[str, str], label: str, errors: FormErrors) -> str:
    value = text(form, name)
    if value not in allowed:
        errors.add(name, f"{label}を選んでください")
    return value


def form_uuid(form: Any, name: str) -> UUID | None:
    try:
        return UUID(text(form, name))
    except ValueError:
        return None


def service_errors(
    body: Any, fields: dict[str, str], default: str, errors: FormErrors | None = None
) -> FormErrors:
    """A service's 4xx body → errors on the form's fields.

    ``fields`` maps the service's field path (``steps.0.stage``: its first segment is
    enough) to the form field; anything else becomes the notice at the top."""
    found = errors or FormErrors()
    items = body.get("errors", []) if isinstance(body, dict) else []
    for item in items:
        path = str(item.get("field", ""))
        reason = japanese(str(item.get("reason", "")))
        name = fields.get(path) or fields.get(path.split(".", 1)[0])
        if name is not None:
            found.add(name, reason)
        else:
            found.notice = reason or default
    if not found:
        found.notice = default
    return found
