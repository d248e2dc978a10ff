"""No control character in any query or path parameter of a service built by
``create_app`` (a NUL cannot reach PostgreSQL text): 422 naming the parameter, before the
route runs, now checked by ``ControlCharacterMiddleware`` instead of an app-wide
dependency."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from starlette.testclient import TestClient

from kasane.web.app import ServiceSpec, create_app
from kasane.web.errors import ControlCharacterMiddleware, path_parameters

CONTROL = "制御文字は使えません / control characters are not allowed"
BREAK = "改行やタブは使えません / line breaks and tabs are not allowed"


def _app() -> tuple[FastAPI, list[str]]:
    reached: list[str] = []
    router = APIRouter()

    @router.get("/programs/{program_code}")
    async def program(program_code: str, q: str | None = None) -> dict[str, str | None]:
        reached.append(program_code)
        return {"program_code": program_code, "q": q}

    @router.get("/persons/duplicates")
    async def duplicates() -> str:
        reached.append("duplicates")
        return "literal"

    @router.get("/persons/{person_id}/notes/{note_id}")
    async def note(person_id: str, note_id: str) -> str:
        reached.append(note_id)
        return note_id

    app = create_app(ServiceSpec(name="intake", title="test", routers=[router]))
    return app, reached


def _errors(answer: object) -> list[dict[str, str]]:
    body = answer.json()  # type: ignore[attr-defined]
    assert body["error"] == "validation_error"
    assert body["message"] == "入力内容に誤りがあります / the request has invalid fields"
    errors: list[dict[str, str]] = body["errors"]
    return errors


def test_the_app_has_no_app_wide_dependency_and_runs_the_middleware() -> None:
    app, _ = _app()
    assert app.router.dependencies == []
    classes: list[object] = [m.cls for m in app.user_middleware]
    assert ControlCharacterMiddleware in classes


def test_a_nul_in_a_path_parameter_is_422_naming_it() -> None:
    app, reached = _app()
    answer = TestClient(app).get("/programs/civic%00activity")
    assert answer.status_code == 422
    assert _errors(answer) == [{"field": "program_code", "reason": CONTROL}]
    assert reached == []


def test_the_parameter_is_named_by_its_place_in_the_template() -> None:
    app, reached = _app()
    answer = TestClient(app).get("/persons/p1/notes/a%0Ab")
    assert answer.status_code == 422
    assert _errors(answer) == [{"field": "note_id", "reason": BREAK}]
    assert reached == []


def test_a_control_character_in_a_query_value_or_name_is_422() -> None:
    app, reached = _app()
    client = TestClient(app)
    value = client.get("/programs/civic?q=a%00b")
    assert value.status_code == 422
    assert _errors(value) == [{"field": "q", "reason": CONTROL}]
    name = client.get("/programs/civic?x%7F=1")  # undeclared: refused all the same
    assert name.status_code == 422
    assert _errors(name) == [{"field": "x\x7f", "reason": CONTROL}]
    assert reached == []


def test_query_and_path_errors_are_listed_together_query_first() -> None:
    app, _ = _app()
    answer = TestClient(app).get("/programs/a%01?q=%02")
    assert [e["field"] for e in _errors(answer)] == ["q", "program_code"]


def test_printable_and_japanese_parameters_pass() -> None:
    app, reached = _app()
    client = TestClient(app)
    answer = client.get("/programs/居場所?q=ひだまり%20ハウス+2")
    assert answer.status_code == 200
    assert answer.json() == {"program_code": "居場所", "q": "ひだまり ハウス 2"}
    assert client.get("/persons/duplicates").status_code == 200
    ideographic_space = client.get("/programs/a%E3%80%80b")  # not printable, not a control
    assert ideographic_space.status_code == 200
    assert reached == ["居場所", "duplicates", "a\u3000b"]


def test_a_dirty_path_of_no_route_is_still_404() -> None:
    app, _ = _app()
    assert TestClient(app).get("/nowhere/a%00b").status_code == 404


def test_path_parameters_prefers_a_literal_path() -> None:
    paths: dict[str, dict[str, object]] = {"/persons/{person_id}": {}, "/persons/duplicates": {}}
    assert path_parameters(paths, "/persons/duplicates") == []
    assert path_parameters(paths, "/persons/p\x00") == [("person_id", "p\x00")]
    assert path_parameters(paths, "/other") == []
