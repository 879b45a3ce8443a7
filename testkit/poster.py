"""A lean HTTP client for timing acknowledgements, shared by the bench and the reliability suite."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from typing import Any
from urllib.parse import urlsplit


class Poster:
    """JSON POSTs as a real sender makes them: one write per request, TCP_NODELAY, keep-alive.

    httpx 0.23's sync client writes headers and body separately without TCP_NODELAY, so every
    POST waits for the server's delayed ACK (~40 ms on Linux): that was most of the "ack
    latency" this bench first reported, while curl got the same 200 in 1 ms. The bot itself
    posts through httpx's async client, whose sockets (anyio) set TCP_NODELAY.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def post(self, url: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        parts = urlsplit(url)
        data = json.dumps(body).encode()
        for attempt in (1, 2):
            conn = self._connection(parts.hostname or "127.0.0.1", parts.port or 80)
            try:
                conn.request("POST", parts.path + (f"?{parts.query}" if parts.query else ""), body=data,
                              headers={"content-type": "application/json", **(headers or {})})
                answer = conn.getresponse()
                raw = answer.read()
                return answer.status, json.loads(raw) if raw else None
            except (ConnectionError, http.client.HTTPException):
                self._local.pool.pop((parts.hostname or "127.0.0.1", parts.port or 80), None)  # reconnect once
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _connection(self, host: str, port: int) -> http.client.HTTPConnection:
        pool = self._local.__dict__.setdefault("pool", {})
        conn = pool.get((host, port))
        if conn is None:
            conn = http.client.HTTPConnection(host, port, timeout=60)
            conn.connect()
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pool[(host, port)] = conn
        return conn
