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


class StoreDirectory:
    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.ttl = ttl
        self._statuses: dict[int, str] = {}
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()

    async def statuses(self) -> dict[int, str]:
        if time.monotonic() - self._read_at > self.ttl:
            async with self._lock:
                if time.monotonic() - self._read_at > self.ttl:
                    self._statuses = await asyncio.to_thread(stores.statuses)
                    self._read_at = time.monotonic()
        return self._statuses

    async def status(self, seller_id: int) -> str | None:
        """connected | disconnected, or None for a seller this deployment does not serve."""
        return (await self.statuses()).get(int(seller_id))

    async def paused(self) -> set[int]:
        """Stores whose notifications must wait (disconnected)."""
        return {seller for seller, status in (await self.statuses()).items() if status != stores.CONNECTED}

    async def connected(self) -> list[int]:
        return [seller for seller, status in (await self.statuses()).items() if status == stores.CONNECTED]

    def invalidate(self) -> None:
        self._read_at = float("-inf")
