"""Everything the simulator mutates at run time, in one object that `/_sim/reset` restores.

Holding it in one place (instead of module globals) lets each test build an isolated app.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from simulator.constants import (
    ACCESS_TOKEN,
    APP_ID,
    REFRESH_TOKEN,
    SELLER_ID,
    TOKEN_SCOPE,
    TOKEN_TTL_SECONDS,
)
from simulator.faults import Fault, parse_fault
from simulator.notify.delivery import Notifier
from simulator.sites import utc_now, utc_z
from simulator.world import World, build_world

MAX_LOGGED_REQUESTS = 5000


class SimState:
    """Seed data plus tokens, faults, the request log, forced moderation outcomes and the notifier."""

    def __init__(self, now: datetime | None = None) -> None:
        self._fixed_now = now
        # Created once: its config (callback URL, retry schedule) is set-up that survives a reset.
        self.notifier = Notifier()
        self.reset()

    def reset(self) -> None:
        """Back to the seed: fresh data, original tokens, no faults, empty logs, no pending pushes."""
        self.notifier.clear()
        self.world: World = build_world(self._fixed_now)
        self.faults: list[Fault] = []
        self.requests: deque[dict[str, Any]] = deque(maxlen=MAX_LOGGED_REQUESTS)
        self.request_waiters: set[_RequestWaiter] = set()
        self.access_tokens: set[str] = {ACCESS_TOKEN}
        self.refresh_token: str = REFRESH_TOKEN
        self.used_codes: set[str] = set()
        self.forced_moderation: list[str] = []
        self._fault_seq = 0

    # -- tokens -------------------------------------------------------------------------------
    def token_valid(self, token: str) -> bool:
        return token in self.access_tokens

    def expire_access_tokens(self) -> None:
        """Simulate every access token expiring at once (the refresh token stays valid)."""
        self.access_tokens.clear()

    def issue_tokens(self) -> dict[str, Any]:
        """New access + refresh token; the previous refresh token stops working (single use)."""
        stamp = utc_now().strftime("%m%d%H")
        access = f"APP_USR-{APP_ID}-{stamp}-{secrets.token_hex(16)}-{SELLER_ID}"
        self.refresh_token = f"TG-{secrets.token_hex(12)}-{SELLER_ID}"
        self.access_tokens.add(access)
        return {"access_token": access, "token_type": "bearer", "expires_in": TOKEN_TTL_SECONDS,
                "scope": TOKEN_SCOPE, "user_id": SELLER_ID, "refresh_token": self.refresh_token}

    # -- faults -------------------------------------------------------------------------------
    def add_fault(self, payload: Any) -> Fault:
        self._fault_seq += 1
        fault = parse_fault(self._fault_seq, payload)
        self.faults.append(fault)
        return fault

    def remove_fault(self, fault_id: int) -> bool:
        before = len(self.faults)
        self.faults = [f for f in self.faults if f.fault_id != fault_id]
        return len(self.faults) != before

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first matching fault that fires (see `probability`), counted as used and dropped
        once its `times` run out."""
        for fault in self.faults:
            if fault.matches(method, path) and fault.fires():
                fault.consume()
                if fault.exhausted:
                    self.faults.remove(fault)
                return fault
        return None

    # -- request log --------------------------------------------------------------------------
    def log_request(self, method: str, path: str, query: dict[str, str], status: int,
                    started: float | None = None) -> None:
        """`epoch` (seconds) and `ms` (handling time) let benchmarks time the bot from outside."""
        now = time.time()
        self.requests.append({"method": method, "path": path, "query": query, "status": status,
                              "ts": utc_z(utc_now()), "epoch": now,
                              "ms": round((now - started) * 1000, 3) if started else None})
        for waiter in list(self.request_waiters):
            waiter.see(self.requests[-1])

    def wait_for_requests(self, pattern: re.Pattern[str], method: str | None, count: int) -> asyncio.Future[int]:
        """A future resolved once `count` logged requests match: a bench waits for the bot's
        replies without polling the log (which cost the simulator, and so the bot, CPU)."""
        waiter = _RequestWaiter(pattern, method, count, asyncio.get_running_loop().create_future(), self)
        for entry in self.requests:
            waiter.see(entry)
        if not waiter.future.done():
            self.request_waiters.add(waiter)
        return waiter.future


@dataclass(eq=False)
class _RequestWaiter:
    pattern: re.Pattern[str]
    method: str | None
    count: int
    future: asyncio.Future[int]
    state: SimState
    found: int = 0

    def see(self, entry: dict[str, Any]) -> None:
        """Counts one logged request (each is seen once, so waiting costs O(1) per request)."""
        if self.future.done():
            self.state.request_waiters.discard(self)
            return
        if (self.method is None or entry["method"] == self.method) and 200 <= entry["status"] < 300 \
                and self.pattern.search(entry["path"]):
            self.found += 1
            if self.found >= self.count:
                self.future.set_result(self.found)
                self.state.request_waiters.discard(self)


STATE: web.AppKey[SimState] = web.AppKey("sim_state", SimState)


def get_state(request: web.Request) -> SimState:
    """The simulator state of the app serving `request`."""
    return request.app[STATE]
