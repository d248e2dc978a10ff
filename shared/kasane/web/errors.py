"""Uniform 4xx bodies: every validation error names the field and the reason."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for err in exc.errors():
        # loc is ("body", "issue_codes", 0): drop the transport part, keep the field path.
        loc = [str(p) for p in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        # pydantic prefixes our own validator messages with "Value error, ": noise for staff.
        reason = str(err.get("msg", "")).removeprefix("Value error, ")
        errors.append({"field": ".".join(loc) or "body", "reason": reason})
    return errors


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(
        status_code=422,
        content={
            "error": "validation_error",
            "message": "入力内容に誤りがあります / the request has invalid fields",
            "errors": field_errors(exc),
        },
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)
