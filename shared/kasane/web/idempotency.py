"""``Idempotency-Key`` for every POST and PATCH of every service (IETF httpapi draft).

One ASGI middleware installed by the app factory; keys live in each service's own database
(shared migration ``0004_idempotency_keys.sql``), per agency (from the bearer token):

- first request with a key: the key is claimed (committed) before the route runs; a 2xx
  response is stored with it; any other answer releases the key (kasane writes nothing on a
  refusal, so running the request again is safe);
- same key, same request (method, path, query, body): the stored response is replayed,
  status and body, with ``Idempotent-Replayed: true``;
- same key, different request: 422 naming the header;
- same key while the first request is still running: 409.

The guarantee, and its one gap (a crash between the route's commit and storing the
response), are written down in docs/architecture/admission-and-idempotency.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

import asyncpg
from fastapi import FastAPI, Response
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kasane.audit import AccessEntry, record_access
from kasane.auth.principal import Principal
from kasane.auth.tokens import InvalidToken, TokenVerifier
from kasane.settings import Settings

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PATCH"})
MAX_KEY_LENGTH = 255
_HEADER_NAME = HEADER.lower().encode("latin-1")


def mark_replayed(response: Response) -> None:
    """The one way to say "this answer repeats an earlier one" (also for domain replays,
    e.g. outreach contacts de-duplicated by their client-generated id)."""
    response.headers[REPLAYED_HEADER] = "true"


class InvalidKey(ValueError):
    """The header's value is not a usable key."""


def parse_key(raw: str) -> str:
    """The key from the header value: an sf-string (``"…"``, as the draft writes it) or a
    bare token; 1–255 visible ASCII characters."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not value:
        raise InvalidKey("空のキーは使えません / the key is empty")
    if len(value) > MAX_KEY_LENGTH:
        raise InvalidKey(f"キーが長すぎます / the key is longer than {MAX_KEY_LENGTH}")
    if any(not (0x20 <= ord(c) <= 0x7E) or c in '"\\' for c in value):
        raise InvalidKey("キーに使えない文字があります / the key has characters outside ASCII")
    return value


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """What makes two requests "the same": method, path, query and the body; a JSON body
    is compared by content, so key order and spacing of a re-serialised retry do not
    matter."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except (ValueError, RecursionError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, canonical):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class Action(Enum):
    RUN = "run"  # claim the key and run the request
    REPLAY = "replay"
    MISMATCH = "mismatch"  # 422
    IN_PROGRESS = "in_progress"  # 409


@dataclass(frozen=True)
class Stored:
    fingerprint: str
    created_at: datetime
    locked_at: datetime | None
    status: int | None


def decide(
    stored: Stored | None, fingerprint: str, now: datetime, ttl: timedelta, lease: timedelta
) -> Action:
    """The rule for a key already seen (or not), without I/O."""
    if stored is None or stored.created_at <= now - ttl:
        return Action.RUN  # new, or expired: the key starts afresh
    if stored.fingerprint != fingerprint:
        return Action.MISMATCH
    if stored.status is not None:
        return Action.REPLAY
    if stored.locked_at is not None and stored.locked_at > now - lease:
        return Action.IN_PROGRESS
    # Unfinished and its lease ran out: the process handling it died. Run it again (the
    # documented gap: if that process had committed, this may repeat its effect).
    return Action.RUN


def _refusal(status: int, reason: str, headers: dict[str, str] | None = None) -> JSONResponse:
    messages = {
        409: "現在の状態では受け付けられません / conflicts with the current state",
        422: "入力内容に誤りがあります / the request has invalid fields",
    }
    return JSONResponse(
        status_code=status,
        content={
            "error": "refused" if status != 422 else "validation_error",
            "message": messages[status],
            "errors": [{"field": HEADER, "reason": reason}],
        },
        headers=headers,
    )


_MISMATCH = "このキーは別の内容の要求に使われています / this key was used for a different request"
_IN_PROGRESS = "同じキーの要求を処理中です / a request with this key is still in progress"


def _principal(scope: Scope, headers: Headers) -> Principal | None:
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials:
        return None
    verifier: TokenVerifier | None = getattr(scope["app"].state, "token_verifier", None)
    if verifier is None:
        return None
    try:
        return verifier.verify(credentials.strip())
    except InvalidToken:
        return None  # the route answers 401 as without a key


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying_receive(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # disconnect, once the app waits for it

    return replay


_CLAIM = """
INSERT INTO idempotency_keys (agency, key, fingerprint, method, path, owner, locked_at)
VALUES ($1, $2, $3, $4, $5, $6, now())
ON CONFLICT (agency, key) DO NOTHING
RETURNING true
"""
_SELECT = """
SELECT fingerprint, created_at, locked_at, status, headers, body, now() AS now
FROM idempotency_keys WHERE agency = $1 AND key = $2 FOR UPDATE
"""
_RECLAIM = """
UPDATE idempotency_keys
SET fingerprint = $3, method = $4, path = $5, owner = $6, locked_at = now(),
    created_at = CASE WHEN created_at <= now() - make_interval(secs => $7)
                      THEN now() ELSE created_at END,
    status = NULL, headers = NULL, body = NULL, completed_at = NULL
WHERE agency = $1 AND key = $2
"""
_STORE = """
UPDATE idempotency_keys
SET status = $4, headers = $5, body = $6, completed_at = now(), locked_at = NULL
WHERE agency = $1 AND key = $2 AND owner = $3
"""
_RELEASE = "DELETE FROM idempotency_keys WHERE agency = $1 AND key = $2 AND owner = $3"
_PURGE = "DELETE FROM idempotency_keys WHERE created_at <= now() - make_interval(secs => $1)"


@dataclass(frozen=True)
class Claim:
    action: Action
    owner: uuid.UUID
    status: int | None = None
    headers: list[list[str]] | None = None
    body: bytes | None = None


async def claim(
    conn: asyncpg.Connection,
    principal: Principal,
    key: str,
    print_: str,
    method: str,
    path: str,
    settings: Settings,
) -> Claim:
    """One transaction: claim the key, or find what was stored with it."""
    owner = uuid.uuid4()
    async with conn.transaction():
        if await conn.fetchval(_CLAIM, principal.agency, key, print_, method, path, owner):
            return Claim(Action.RUN, owner)  # a new key: ours
        row = await conn.fetchrow(_SELECT, principal.agency, key)
        if row is None:  # purged between the two statements: claim it afresh
            await conn.execute(_CLAIM, principal.agency, key, print_, method, path, owner)
            return Claim(Action.RUN, owner)
        stored = Stored(row["fingerprint"], row["created_at"], row["locked_at"], row["status"])
        action = decide(
            stored,
            print_,
            row["now"],
            timedelta(seconds=settings.idempotency_ttl_s),
            timedelta(seconds=settings.idempotency_lease_s),
        )
        if action is Action.RUN:
            await conn.execute(
                _RECLAIM,
                principal.agency,
                key,
                print_,
                method,
                path,
                owner,
                settings.idempotency_ttl_s,
            )
            return Claim(Action.RUN, owner)
        if action is Action.REPLAY:
            # The stored body may carry personal data: a replay is a read, so it is audited
            # like one (same transaction), with the path naming the request it answers.
            await record_access(
                conn,
                AccessEntry.by(
                    principal,
                    record_type="idempotent_response",
                    record_id=f"{method} {path}",
                    action="replay",
                    purpose="再送への応答 / idempotent replay",
                    outcome="allowed",
                    legal_basis="owner",
                ),
            )
            return Claim(
                Action.REPLAY, owner, row["status"], json.loads(row["headers"]), row["body"]
            )
        return Claim(action, owner)


def _replay_headers(stored: Iterable[list[str]]) -> list[tuple[bytes, bytes]]:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored]
    return [*headers, (REPLAYED_HEADER.lower().encode(), b"true")]


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.claims = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in METHODS:
            await self.app(scope, receive, send)
            return
        # Most writes carry no key: a scan of the raw (lower-cased, ASGI) header names, not a
        # Headers object, before passing them through.
        if not any(name == _HEADER_NAME for name, _ in scope["headers"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        raw_key = headers[HEADER]
        try:
            key = parse_key(raw_key)
        except InvalidKey as exc:
            await _refusal(422, str(exc))(scope, receive, send)
            return
        principal = _principal(scope, headers)
        if principal is None:
            await self.app(scope, receive, send)  # 401 from the route, nothing stored
            return
        state = scope["app"].state
        settings: Settings = state.settings
        pool: asyncpg.Pool = state.pool
        body = await _read_body(receive)
        print_ = fingerprint(scope["method"], scope["path"], scope.get("query_string", b""), body)
        async with pool.acquire() as conn:
            found = await claim(
                conn, principal, key, print_, scope["method"], scope["path"], settings
            )
            self.claims += 1
            if self.claims % 1000 == 1:  # keys older than the TTL go, now and then
                await conn.execute(_PURGE, settings.idempotency_ttl_s)
        if found.action is Action.MISMATCH:
            await _refusal(422, _MISMATCH)(scope, receive, send)
            return
        if found.action is Action.IN_PROGRESS:
            # Retry-After: the first request is likely to finish within a second or two.
            await _refusal(409, _IN_PROGRESS, {"Retry-After": "1"})(scope, receive, send)
            return
        if found.action is Action.REPLAY:
            assert found.status is not None and found.headers is not None
            await send(
                {
                    "type": "http.response.start",
                    "status": found.status,
                    "headers": _replay_headers(found.headers),
                }
            )
            await send({"type": "http.response.body", "body": found.body or b""})
            return
        await self._run(scope, _replaying_receive(body, receive), send, pool, principal, key, found)

    async def _run(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        pool: asyncpg.Pool,
        principal: Principal,
        key: str,
        found: Claim,
    ) -> None:
        # The response is held until it is stored, so a client that got an answer can
        # count on a retry replaying it (unless the store itself failed, logged below).
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            await self._release(pool, principal, key, found.owner)
            raise
        assert start is not None
        status: int = start["status"]
        body = b"".join(chunks)
        if 200 <= status < 300:
            stored = [
                [k.decode("latin-1"), v.decode("latin-1")] for k, v in start.get("headers", [])
            ]
            try:
                async with pool.acquire() as conn:
                    await conn.execute(
                        _STORE, principal.agency, key, found.owner, status, json.dumps(stored), body
                    )
            except Exception as exc:  # the route committed: answer anyway, say what is lost
                log.error(
                    "idempotency: response of %s %s not stored (%s); a retry after the lease"
                    " runs it again",
                    scope["method"],
                    scope["path"],
                    type(exc).__name__,
                )
        else:
            await self._release(pool, principal, key, found.owner)
        await send(start)
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    async def _release(
        pool: asyncpg.Pool, principal: Principal, key: str, owner: uuid.UUID
    ) -> None:
        try:
            async with pool.acquire() as conn:
                await conn.execute(_RELEASE, principal.agency, key, owner)
        except Exception as exc:  # the lease frees the key later
            log.warning("idempotency: key not released (%s)", type(exc).__name__)


def install_idempotency(app: FastAPI) -> None:
    """Inside admission control: a shed request never touches the key table."""
    app.add_middleware(IdempotencyMiddleware)
