"""Uniform 4xx bodies: every validation error names the field and the reason."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from kasane.errors import DomainError
from kasane.types import bad_character

# pydantic's own messages are English only; staff read Japanese first ("日本語 / English").
_JAPANESE = {
    "missing": "必須項目です",
    "extra_forbidden": "この項目は受け付けていません",
    "less_than_equal": "{le} 以下で指定してください",
    "less_than": "{lt} 未満で指定してください",
    "greater_than_equal": "{ge} 以上で指定してください",
    "greater_than": "{gt} より大きい値で指定してください",
    "string_too_long": "{max_length} 文字以内で指定してください",
    "string_too_short": "{min_length} 文字以上で指定してください",
    "too_long": "長すぎます（上限 {max_length}）",
    "too_short": "短すぎます（下限 {min_length}）",
    "string_pattern_mismatch": "形式が正しくありません",
    "string_type": "文字列で指定してください",
    "int_parsing": "整数で指定してください",
    "int_type": "整数で指定してください",
    "int_from_float": "整数で指定してください",
    "float_parsing": "数値で指定してください",
    "float_type": "数値で指定してください",
    "bool_parsing": "true か false で指定してください",
    "bool_type": "true か false で指定してください",
    "literal_error": "選択肢にない値です",
    "enum": "選択肢にない値です",
    "uuid_parsing": "UUID の形式で指定してください",
    "uuid_type": "UUID の形式で指定してください",
    "date_parsing": "日付は YYYY-MM-DD で指定してください",
    "date_from_datetime_parsing": "日付は YYYY-MM-DD で指定してください",
    "date_type": "日付は YYYY-MM-DD で指定してください",
    "datetime_parsing": "日時は ISO 8601 で指定してください",
    "datetime_from_date_parsing": "日時は ISO 8601 で指定してください",
    "datetime_type": "日時は ISO 8601 で指定してください",
    "timezone_aware": "タイムゾーン付きの日時で指定してください",
    "list_type": "配列で指定してください",
    "dict_type": "オブジェクトで指定してください",
    "model_type": "オブジェクトで指定してください",
    "model_attributes_type": "オブジェクトで指定してください",
    "json_invalid": "JSON として読めません",
    "json_type": "JSON として読めません",
    "set_item_not_hashable": "重複を判定できない値です",
}


def _reason(err: Mapping[str, Any]) -> str:
    msg = str(err.get("msg", ""))
    if msg.startswith("Value error, "):
        # Our own validators already write "日本語 / English"; pydantic prefixes them.
        return msg.removeprefix("Value error, ")
    japanese = _JAPANESE.get(str(err.get("type", "")))
    if japanese is None:
        return msg
    try:
        japanese = japanese.format(**(err.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        pass
    return f"{japanese} / {msg}"


def field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for err in exc.errors():
        # loc is ("body", "issue_codes", 0): drop the transport part, keep the field path.
        loc = [str(p) for p in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        errors.append({"field": ".".join(loc) or "body", "reason": _reason(err)})
    return errors


def validation_response(exc: RequestValidationError) -> JSONResponse:
    return JSONResponse(
        status_code=422,
        content={
            "error": "validation_error",
            "message": "入力内容に誤りがあります / the request has invalid fields",
            "errors": field_errors(exc),
        },
    )


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_response(exc)


_MESSAGES = {
    401: "認証が必要です / authentication required",
    403: "権限がありません / not allowed",
    405: "このメソッドは使えません / method not allowed",
    404: "見つかりません / not found",
    409: "現在の状態では受け付けられません / conflicts with the current state",
    412: "他の更新と競合しました / the record changed since you read it",
    422: "入力内容に誤りがあります / the request has invalid fields",
    428: "前提条件（If-Match）が必要です / precondition required (If-Match)",
}


def refusal_body(status: int, field: str, reason: str) -> dict[str, object]:
    """The one error body of every refusal (same shape as validation errors)."""
    return {
        "error": "refused" if status != 422 else "validation_error",
        "message": _MESSAGES.get(status, "受け付けられません / refused"),
        "errors": [{"field": field, "reason": reason}],
    }


async def _on_refused(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse(
        status_code=exc.status, content=refusal_body(exc.status, exc.field, exc.reason)
    )


def _template_pattern(template: str) -> re.Pattern[str]:
    """``/cases/{case_id}`` → a pattern with one group per path parameter."""
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(template)))


_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def allowed_methods(paths: Mapping[str, Mapping[str, Any]], path: str) -> set[str]:
    """Every method the API serves at ``path``, from the OpenAPI paths (Starlette's 405
    names only the methods of the first route that matched the path)."""
    methods: set[str] = set()
    literal = paths.get(path)
    if literal is not None:
        # A literal path wins over templates that also match it (/persons/duplicates is not
        # /persons/{person_id}), as in routing.
        return {m.upper() for m in literal if m in _HTTP_METHODS}
    for template, operations in paths.items():
        if _template_pattern(template).fullmatch(path):
            methods |= {m.upper() for m in operations if m in _HTTP_METHODS}
    return methods


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        paths = request.app.openapi().get("paths", {})
        headers["Allow"] = ", ".join(sorted(allowed_methods(paths, request.url.path)))
    fields = {401: "authorization", 403: "role", 405: "method"}
    if exc.status_code in fields:
        # Sign-in, role and method refusals answer with the one error body, like every other.
        body = refusal_body(exc.status_code, fields[exc.status_code], str(exc.detail))
        return JSONResponse(status_code=exc.status_code, content=body, headers=headers or None)
    return await http_exception_handler(request, exc)


def _character_errors(where: str, items: Iterable[tuple[str, Any]]) -> list[dict[str, Any]]:
    errors = []
    for name, value in items:
        if not isinstance(value, str):
            continue
        reason = bad_character(name, multi_line=False) or bad_character(value, multi_line=False)
        if reason:
            errors.append(
                {"type": "value_error", "loc": (where, name), "msg": reason, "input": None}
            )
    return errors


async def reject_control_characters(request: Request) -> None:
    """The same rule as :class:`ControlCharacterMiddleware`, as a dependency (for an app
    that is not built by ``kasane.web.app.create_app``)."""
    errors = _character_errors("query", request.query_params.multi_items())
    errors += _character_errors("path", list(request.path_params.items()))
    if errors:
        raise RequestValidationError(errors)


def _clean_query(query: bytes) -> bool:
    # Printable ASCII without a %-escape cannot decode to a control character ('+' is a space).
    return not query or (query.isascii() and b"%" not in query and query.decode().isprintable())


def path_parameters(paths: Mapping[str, Any], path: str) -> list[tuple[str, str]]:
    """The path parameters of ``path`` under the first API template it matches (a literal
    path first, as routing does); none if it matches no template."""
    if path in paths:
        return []
    for template in paths:
        names = re.findall(r"\{([^/]+?)\}", template)
        found = _template_pattern(template).fullmatch(path) if names else None
        if found:
            return list(zip(names, found.groups(), strict=True))
    return []


class ControlCharacterMiddleware:
    """Every route's query and path parameters: no control characters (a NUL cannot reach
    PostgreSQL text), so a parameter typed plain ``str`` is safe too; request bodies are
    checked field by field by the shared types (``kasane.types``).

    Pure ASGI rather than an app-wide dependency: FastAPI's bookkeeping for one more
    dependency node costs more than the check, on every request. A path and query of
    printable characters (nearly every request) pass on a C-level scan; only a request
    that has something to refuse is parsed, its path parameters named by the API's
    templates (as the 405 ``Allow`` header is), and answered 422 like any validation error.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            query: bytes = scope.get("query_string", b"")
            if not (path.isprintable() and _clean_query(query)):
                errors = _character_errors("query", QueryParams(query).multi_items())
                if not path.isprintable():
                    paths = scope["app"].openapi().get("paths", {})
                    errors += _character_errors("path", path_parameters(paths, path))
                if errors:
                    await validation_response(RequestValidationError(errors))(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(DomainError, _on_refused)
