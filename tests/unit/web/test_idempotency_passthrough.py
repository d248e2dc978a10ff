"""The idempotency middleware finds its header by a scan of the raw header names: a write
without the header goes straight to the route (no key table, no pool), and one with it,
whatever case the client wrote it in, is still taken up (here: an unusable key, 422)."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.testclient import TestClient

from kasane.web.idempotency import HEADER, install_idempotency


class NoPool:
    def acquire(self) -> object:
        raise AssertionError("a request without Idempotency-Key must not touch the key table")


def _app() -> tuple[FastAPI, list[str]]:
    reached: list[str] = []
    app = FastAPI()
    install_idempotency(app)
    app.state.pool = NoPool()

    @app.post("/consultations")
    async def create() -> dict[str, str]:
        reached.append("create")
        return {"ok": "yes"}

    return app, reached


def test_a_write_without_the_header_goes_straight_to_the_route() -> None:
    app, reached = _app()
    answer = TestClient(app).post("/consultations", json={}, headers={"X-Other-Key": "k"})
    assert answer.status_code == 200
    assert reached == ["create"]


def test_the_header_is_found_whatever_its_case() -> None:
    app, reached = _app()
    client = TestClient(app)
    for name in (HEADER, HEADER.lower(), HEADER.upper()):
        answer = client.post("/consultations", json={}, headers={name: '""'})
        assert answer.status_code == 422, name
        assert answer.json()["errors"] == [
            {"field": HEADER, "reason": "空のキーは使えません / the key is empty"}
        ]
    assert reached == []
