"""Which stores this deployment serves, as the webhook and the worker need to know it: cheaply.

The webhook has 500 ms and must not read SQL per notification to learn whether its seller is
connected, so the map seller -> status (postsale/stores.py) is read at most every TTL seconds;
a store connected or disconnected in this process is seen at once (`invalidate`), one changed by
another replica within TTL seconds.
"""

from __future__ import annotations

import asyncio
import time

from postsale import stores

TTL_SECONDS = 5.0
MISS_SECONDS = 2.0
MAX_UNKNOWN = 10_000


class StoreDirectory:
    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.ttl = ttl
        self._statuses: dict[int, str] = {}
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()
        self._unknown: dict[int, float] = {}  # seller -> when SQL last said it is no store here

    async def statuses(self) -> dict[int, str]:
        if time.monotonic() - self._read_at > self.ttl:
            async with self._lock:
                if time.monotonic() - self._read_at > self.ttl:
                    self._statuses = await asyncio.to_thread(stores.statuses)
                    self._read_at = time.monotonic()
        return self._statuses

    async def status(self, seller_id: int) -> str | None:
        """connected | disconnected, or None for a seller this deployment does not serve.

        A seller missing from the copy is looked up in SQL (one primary-key read): a store another
        replica connected a moment ago must not have its first notifications dropped. An unknown
        seller is remembered as such for MISS_SECONDS, so a flood of them costs one read each per
        MISS_SECONDS (no seller sends notifications to the app before authorising it)."""
        seller_id = int(seller_id)
        found = (await self.statuses()).get(seller_id)
        if found is not None:
            return found
        if not 0 < seller_id < 2**63:  # no store has it, and no SQL integer holds it
            return None
        if time.monotonic() - self._unknown.get(seller_id, float("-inf")) < MISS_SECONDS:
            return None
        store = await asyncio.to_thread(stores.get, seller_id)
        if store is None:
            if len(self._unknown) >= MAX_UNKNOWN:
                self._unknown.clear()
            self._unknown[seller_id] = time.monotonic()
            return None
        self._statuses = {**self._statuses, seller_id: store.status}
        return store.status

    async def paused(self) -> set[int]:
        """Stores whose notifications must wait (disconnected)."""
        return {seller for seller, status in (await self.statuses()).items() if status != stores.CONNECTED}

    async def connected(self) -> list[int]:
        return [seller for seller, status in (await self.statuses()).items() if status == stores.CONNECTED]

    def invalidate(self) -> None:
        self._read_at = float("-inf")
        self._unknown.clear()
