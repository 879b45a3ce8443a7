"""The worker's turn slots, handed out fairly across stores.

A plain semaphore serves waiters first come, first served: one store's burst of 500 messages
queues hundreds of turns ahead of another store's single message, which then waits for all of
them. Here each store waits in its own line and a freed slot goes to the next store in rotation,
so a quiet store's message waits for at most one turn per busy store.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class FairSlots:
    def __init__(self, slots: int) -> None:
        self._free = slots
        self._lines: OrderedDict[int, deque[asyncio.Future[None]]] = OrderedDict()  # store -> its waiters

    @asynccontextmanager
    async def slot(self, store: int) -> AsyncIterator[None]:
        await self.acquire(store)
        try:
            yield
        finally:
            self.release()

    async def acquire(self, store: int) -> None:
        if self._free > 0 and not self._lines:
            self._free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._lines.setdefault(store, deque()).append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # the slot was handed over as we were cancelled: pass it on
            else:
                self._drop(store, waiter)
            raise

    def release(self) -> None:
        """Hand the slot to the store at the head of the rotation, which then goes to its back."""
        while self._lines:
            store, line = next(iter(self._lines.items()))
            waiter = line.popleft()
            del self._lines[store]
            if line:
                self._lines[store] = line  # re-inserted at the end: the next store goes first
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1

    def _drop(self, store: int, waiter: asyncio.Future[None]) -> None:
        line = self._lines.get(store)
        if line and waiter in line:
            line.remove(waiter)
            if not line:
                del self._lines[store]

    @property
    def waiting(self) -> dict[int, int]:
        return {store: len(line) for store, line in self._lines.items()}
