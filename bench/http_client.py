"""A minimal HTTP/1.1 keep-alive client POSTing consultations (bench.overload,
bench.consultations' open loop)."""

from __future__ import annotations

import asyncio
import json

from bench.workload import consultation_body


class Client:
    """A minimal HTTP/1.1 keep-alive client for one endpoint.

    The load generator shares the CPUs with the service; httpx costs several times more
    per request than this, which would show up as the client's own lateness. Requests are
    pre-serialised; a response is read by its Content-Length.
    """

    def __init__(self, host: str, port: int, tokens: list[str], timeout_s: float = 120) -> None:
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self.tokens = tokens
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.opened: list[asyncio.StreamWriter] = []

    def request(self, i: int) -> bytes:
        body = json.dumps(consultation_body(i)).encode()
        head = (
            f"POST /consultations HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {self.tokens[i % len(self.tokens)]}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def _exchange(self, payload: bytes) -> tuple[int, bytes]:
        reused = bool(self.idle)
        if reused:
            reader, writer = self.idle.pop()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            self.opened.append(writer)
        writer.write(payload)
        await writer.drain()
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            # The server closed this idle keep-alive connection before it read the request
            # (uvicorn's keep-alive timeout): send it again on a fresh connection.
            partial = getattr(exc, "partial", b"")
            if not reused or partial:
                raise
            writer.close()
            self.idle.clear()  # the others idled as long: open fresh ones as needed
            return await self._exchange(payload)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = dict(
            (k.strip().lower(), v.strip()) for k, _, v in (ln.partition(":") for ln in lines[1:])
        )
        body = await reader.readexactly(int(fields.get("content-length", "0")))
        if fields.get("connection", "").lower() == "close":
            writer.close()
        else:
            self.idle.append((reader, writer))
        return status, body

    async def post(self, i: int) -> tuple[int, bytes]:
        """POST the i-th consultation; (status, response body)."""
        return await asyncio.wait_for(self._exchange(self.request(i)), self.timeout_s)

    async def post_status(self, i: int) -> int:
        """POST the i-th consultation; the status code."""
        status, _ = await asyncio.wait_for(self._exchange(self.request(i)), self.timeout_s)
        return status

    async def post_consultation(self, i: int) -> tuple[int, str | None]:
        """POST the i-th consultation; (status, consultation_id of a 201, else None)."""
        status, body = await asyncio.wait_for(self._exchange(self.request(i)), self.timeout_s)
        return status, json.loads(body)["consultation_id"] if status == 201 else None

    async def close(self) -> None:
        for writer in self.opened:
            writer.close()
        self.idle.clear()
