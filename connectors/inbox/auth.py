"""Who is calling the inbox, and whether their request may change anything.

- Agents present `Authorization: Bearer <token>`; tokens live hashed in SQL (postsale/agents.py),
  so a revoked, rotated or expired token fails on the next request. No Basic auth: browsers keep
  Basic credentials for the whole session and send them on every request to the site, which is
  what makes cross-site request forgery work. The page keeps the token in sessionStorage.
- Failed logins are counted per client address: after FAILURES_ALLOWED in FAILURE_WINDOW
  seconds, that address gets 429 until the window has passed, and each lock is logged.
- A state-changing request must be JSON (a form post cannot set that content type without a
  CORS preflight, which this server never grants) and, when a browser says where it comes from
  (`Origin`, `Sec-Fetch-Site`), it must come from the inbox's own origin.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from urllib.parse import urlsplit

from sanic.request import Request

from postsale import agents
from postsale.agents import Agent

logger = logging.getLogger(__name__)
FAILURES_ALLOWED = 5
FAILURE_WINDOW = 60.0
SAME_SITE = ("same-origin", "none")


class Throttle:
    """Failed logins per client address, in memory (a restart forgets them: a fresh window)."""

    def __init__(self, allowed: int = FAILURES_ALLOWED, window: float = FAILURE_WINDOW) -> None:
        self.allowed, self.window = allowed, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures[client]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def locked_for(self, client: str, now: float | None = None) -> int:
        """Seconds this client must wait before trying again (0: it may try)."""
        now = time.monotonic() if now is None else now
        failures = self._recent(client, now)
        return int(failures[0] + self.window - now) + 1 if len(failures) >= self.allowed else 0

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        failures = self._recent(client, now)
        failures.append(now)
        if len(failures) == self.allowed:
            logger.warning("inbox: %d failed logins from %s in %.0f s: locked for %.0f s", self.allowed, client,
                           self.window, self.window)

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)


def bearer(request: Request) -> str | None:
    scheme, _, value = (request.headers.get("authorization") or "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def agent_for(request: Request) -> Agent | None:
    return agents.authenticate(bearer(request))


def client_of(request: Request) -> str:
    """The caller's address: behind nginx, Sanic's `remote_addr` from X-Forwarded-For when the
    deployment says how many proxies to trust (SANIC_PROXIES_COUNT, docker-compose sets 1);
    otherwise the socket's peer, which a client cannot choose."""
    return request.remote_addr or request.ip or "unknown"


def forgery(request: Request) -> str | None:
    """Why a state-changing request looks forged, or None when it may proceed."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return "state-changing requests must be application/json"
    site = request.headers.get("sec-fetch-site")
    if site is not None and site.lower() not in SAME_SITE:
        return f"Sec-Fetch-Site: {site}"
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc.lower() != (request.headers.get("host") or "").lower():
        return "Origin is not the inbox's own"
    return None
