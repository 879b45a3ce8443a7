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
    SELLER_NICKNAME,
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
        self.sellers: dict[int, SimSeller] = {SELLER_ID: SimSeller(SELLER_ID, SELLER_NICKNAME, "MLB")}
        self.access_tokens: dict[str, int] = {ACCESS_TOKEN: SELLER_ID}  # token -> the seller it acts for
        self.refresh_tokens: dict[int, str] = {SELLER_ID: REFRESH_TOKEN}  # seller -> its one valid refresh token
        self.grants: dict[str, Grant] = {}  # authorization code -> what it was issued for
        self.used_codes: set[str] = set()
        self.forced_moderation: list[str] = []
        self._fault_seq = 0

    # -- tokens -------------------------------------------------------------------------------
    @property
    def refresh_token(self) -> str | None:
        """The default seller's current refresh token."""
        return self.refresh_tokens.get(SELLER_ID)

    def token_valid(self, token: str) -> bool:
        return token in self.access_tokens

    def token_seller(self, token: str) -> int | None:
        return self.access_tokens.get(token)

    def expire_access_tokens(self, seller_id: int | None = None) -> None:
        """Every access token (or one seller's) expires at once; refresh tokens stay valid."""
        self.access_tokens = {t: s for t, s in self.access_tokens.items() if seller_id is not None and s != seller_id}

    def revoke(self, seller_id: int) -> None:
        """The seller removed the app: its access and refresh tokens stop working."""
        self.expire_access_tokens(seller_id)
        self.refresh_tokens.pop(seller_id, None)

    def seller_of_refresh(self, refresh: str) -> int | None:
        return next((seller for seller, token in self.refresh_tokens.items() if token == refresh), None)

    def add_seller(self, seller_id: int, nickname: str, site_id: str) -> SimSeller:
        seller = self.sellers[seller_id] = SimSeller(seller_id, nickname, site_id)
        return seller

    def issue_tokens(self, seller_id: int = SELLER_ID) -> dict[str, Any]:
        """New access + refresh token; the seller's previous refresh token stops working (single use)."""
        stamp = utc_now().strftime("%m%d%H")
        access = f"APP_USR-{APP_ID}-{stamp}-{secrets.token_hex(16)}-{seller_id}"
        refresh = self.refresh_tokens[seller_id] = f"TG-{secrets.token_hex(12)}-{seller_id}"
        self.access_tokens[access] = seller_id
        return {"access_token": access, "token_type": "bearer", "expires_in": TOKEN_TTL_SECONDS,
                "scope": TOKEN_SCOPE, "user_id": seller_id, "refresh_token": refresh}

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


@dataclass
class SimSeller:
    """A store on the simulated marketplace: `/users/me` answers with it for its tokens."""

    id: int
    nickname: str
    site_id: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "nickname": self.nickname, "site_id": self.site_id, "user_type": "normal",
                "status": {"site_status": "active"}}


@dataclass
class Grant:
    """An authorization code the authorization page issued: single use, 10 minutes, PKCE-bound."""

    seller_id: int
    client_id: str
    redirect_uri: str
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: float


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
