"""The OpenAPI document tells the truth about errors: every operation lists the error
statuses it can answer, each with the one error-body schema of ``kasane.web.errors``.

Routes declare their success responses; the error statuses come from shared machinery
(authentication, validation, domain refusals of ``kasane.errors``, If-Match, overload),
so they are attached here, once, when the document is built, rather than repeated on every route.
See docs/architecture/input-validation.md.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA_NAME = "Error"

# Two shapes answer errors: kasane's own (validation, domain refusals) and FastAPI/Starlette's
# {"detail": ...} (authentication, role checks, an unreadable body).
ERROR_SCHEMA: dict[str, Any] = {
    "title": ERROR_SCHEMA_NAME,
    "description": "エラー / an error: kasane's field errors, or a one-line detail",
    "anyOf": [
        {
            "type": "object",
            "required": ["error", "message", "errors"],
            "properties": {
                "error": {"type": "string", "examples": ["validation_error", "refused"]},
                "message": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "reason"],
                        "properties": {
                            "field": {"type": "string"},
                            "reason": {"type": "string"},
                        },
                    },
                },
            },
        },
        {
            "type": "object",
            "required": ["detail"],
            "properties": {"detail": {"type": "string"}},
        },
    ],
}

_DESCRIPTIONS = {
    "400": "本文を読めません / the body is not readable (encoding, JSON)",
    "401": "認証が必要です / bearer token missing or invalid",
    "403": "権限がありません / the token's agency or role may not do this",
    "404": "見つかりません / not found (or not visible to your agency)",
    "409": "現在の状態では受け付けられません / conflicts with the current state",
    "412": "他の更新と競合しました / If-Match does not match the current version",
    "422": "入力内容に誤りがあります / invalid fields (each named with its reason)",
    "428": "If-Match が必要です / precondition required",
    "503": "一時的に利用できません / temporarily unavailable (retry later)",
}

_WRITES = {"post", "put", "patch", "delete"}


HEALTH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["status", "service"],
    "properties": {
        "status": {"type": "string", "enum": ["ok", "down"]},
        "service": {"type": "string"},
        "reference_version": {"type": "string", "description": "v0001… or packaged"},
        "error": {"type": "string"},
    },
}


def error_statuses(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses an operation can answer, from what it declares (a pure rule)."""
    if path == "/healthz":
        return ["503"]
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    statuses = ["401", "403", "422", "503"]
    if has_body:
        statuses.append("400")
    # Ids in the path, or ids referenced from the body, may not exist (or not be visible).
    if "{" in path or has_body or method in _WRITES:
        statuses.append("404")
    if method in _WRITES:
        statuses.append("409")
    if any(p.get("in") == "header" and p.get("name", "").lower() == "if-match" for p in parameters):
        statuses += ["412", "428"]
    return sorted(statuses)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Attach the error body to every operation of an OpenAPI document (in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    # FastAPI's default 422 body ({"detail": [...]}) is not what kasane answers.
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if path == "/healthz":
                health = {"application/json": {"schema": HEALTH_SCHEMA}}
                responses["200"] = {"description": "稼働中 / up", "content": health}
                responses["503"] = {"description": _DESCRIPTIONS["503"], "content": health}
                continue
            for status in error_statuses(method, path, operation):
                # A route that declares an error response itself (the dashboard answers
                # sign-in errors with a page) keeps its own content.
                response = responses.setdefault(status, {"description": _DESCRIPTIONS[status]})
                if status == "422" or "content" not in response:
                    response["content"] = {"application/json": {"schema": ref}}
                if status == "422":
                    response["description"] = _DESCRIPTIONS["422"]
    return schema


def install_openapi(app: FastAPI) -> None:
    """Build the document once, on first request, with the error responses attached."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    openapi_version=app.openapi_version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
