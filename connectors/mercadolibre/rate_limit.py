"""Notifications accepted per seller per minute (MELI_WEBHOOK_RATE): a token bucket in memory.

Each accepted notification makes the channel call the API (GET the message, the pack...), and
Mercado Libre gives an app 500 messaging GETs per minute. Whoever knows the callback URL (and
its secret) could otherwise make the store spend its budget on invented message ids. Over the
cap the webhook answers 429: Mercado Libre delivers the notification again later (and what it
gives up on is in missed_feeds, read at start), so nothing is lost, only delayed.

In memory, not in SQL: the check runs on the acknowledgement's hot path (500 ms budget) and an
extra transaction per notification is what the intake's group commit exists to avoid. With
several replicas each enforces the cap on what it receives.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimit:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.per_second = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}  # seller -> (tokens, last refill)

    def allow(self, seller_id: int) -> bool:
        """Take one token for this seller, if there is one (a full minute's worth may burst)."""
        if self.capacity <= 0:
            return True  # 0 = no cap (an operator's explicit choice)
        now = self._clock()
        tokens, last = self._buckets.get(seller_id, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.per_second)
        allowed = tokens >= 1.0
        self._buckets[seller_id] = (tokens - 1.0 if allowed else tokens, now)
        return allowed

    def retry_after(self, seller_id: int) -> int:
        """Whole seconds until this seller has a token again."""
        tokens, _ = self._buckets.get(seller_id, (self.capacity, 0.0))
        return max(1, int((1.0 - tokens) / self.per_second + 0.999)) if self.per_second else 60
