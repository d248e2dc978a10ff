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


class Refused(Exception):
    """A domain rule refuses the request: raise it from a route (or the code it calls).

    The body has the same shape as validation errors, so clients read one format:
    ``raise Refused(409, "consent", "有効な本人同意がありません / no valid consent")``.
    Raise it before writing anything (or inside the transaction, which then rolls back).
    """

    def __init__(self, status: int, field: str, reason: str) -> None:
        super().__init__(f"{status} {field}: {reason}")
        self.status, self.field, self.reason = status, field, reason


_MESSAGES = {
    404: "見つかりません / not found",
    409: "現在の状態では受け付けられません / conflicts with the current state",
    412: "他の更新と競合しました / the record changed since you read it",
    422: "入力内容に誤りがあります / the request has invalid fields",
    428: "前提条件（If-Match）が必要です / precondition required (If-Match)",
}


async def _on_refused(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    return JSONResponse(
        status_code=exc.status,
        content={
            "error": "refused" if exc.status != 422 else "validation_error",
            "message": _MESSAGES.get(exc.status, "受け付けられません / refused"),
            "errors": [{"field": exc.field, "reason": exc.reason}],
        },
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Refused, _on_refused)
