"""A lean HTTP/1.1 client for the load benchmarks: one keep-alive connection per reader.

A general client (httpx) spends about a millisecond of Python per request and slows down as
its pool grows: 50 readers in one process measured themselves (p95 328 ms against an idle
server that answers one reader in 2 ms). This client writes a GET and reads the status line,
the headers and a Content-Length body, nothing more, so the figures are the server's.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit


class HTTPError(Exception):
    """The connection failed or the answer was not one this client reads."""


class Connection:
    """One keep-alive connection to ``url`` (``http://host:port``); reopened when the server
    closes it."""

    def __init__(self, url: str, timeout: float = 120.0) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """The status and body of ``GET path`` (once more on a new connection when a kept
        one was closed by the server meanwhile: its keep-alive ran out)."""
        if self._writer is not None:
            try:
                return await asyncio.wait_for(self._get(path), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
        try:
            return await asyncio.wait_for(self._get(path), self.timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            await self.close()
            raise HTTPError(type(exc).__name__) from exc

    async def _get(self, path: str) -> tuple[int, bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        self._writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                           "Accept: application/json\r\n\r\n".encode("ascii"))
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (line.partition(":") for line in lines[1:] if line)}
        if "content-length" not in headers:
            raise HTTPError(f"no Content-Length ({headers.get('transfer-encoding', '?')})")
        body = await self._reader.readexactly(int(headers["content-length"]))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None
