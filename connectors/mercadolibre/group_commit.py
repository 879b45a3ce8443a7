"""Group commit: many callers, one SQL transaction for everything that arrived meanwhile.

A caller hands its item to one writer thread and awaits its own result; the thread takes every
item queued meanwhile into the same transaction. Under a burst that is one commit (and one turn
of the database's single write lock) instead of one per item, and the guarantee is unchanged:
nobody's await returns before their item is committed. A failed transaction is tried once more
(every write given to it must be idempotent), then every waiter of the batch gets the error.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

logger = logging.getLogger(__name__)
Item = TypeVar("Item")
MAX_BATCH = 200


@dataclass
class _Pending(Generic[Item]):
    item: Item
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


class GroupCommit(Generic[Item]):
    def __init__(self, write: Callable[[list[Item]], Sequence[Any]], thread_name: str,
                 on_batch: Callable[[int], None] | None = None) -> None:
        """`write(items)` runs one transaction and returns one result per item, in order;
        `thread_name` is how postsale/db.py's writer lock recognises an urgent writer."""
        self._write_batch = write
        self._thread_name = thread_name
        self._on_batch = on_batch
        self._queue: queue.SimpleQueue[_Pending[Item] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    async def submit(self, item: Item) -> Any:
        """The item's result once its transaction committed; raises if it failed."""
        self._ensure_thread()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._queue.put(_Pending(item, future, loop))
        return await future

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self._thread_name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)
                    break
                batch.append(item)
            results = self._write([p.item for p in batch])
            if self._on_batch:
                self._on_batch(len(batch))
            for pending, result in zip(batch, results):
                pending.loop.call_soon_threadsafe(_settle, pending.future, result)

    def _write(self, items: list[Item]) -> list[Any]:
        for attempt in (1, 2):
            try:
                return list(self._write_batch(items))
            except Exception as exc:  # noqa: BLE001 - every waiter gets the error, the thread lives on
                if attempt == 2:
                    logger.exception("%s: transaction of %d items failed", self._thread_name, len(items))
                    return [exc] * len(items)
                logger.warning("%s: transaction of %d items failed, retrying: %s", self._thread_name, len(items), exc)
        raise AssertionError("unreachable")

    def stop(self) -> None:
        self._queue.put(None)


def _settle(future: asyncio.Future[Any], result: Any) -> None:
    if future.done():
        return
    if isinstance(result, BaseException):
        future.set_exception(result)
    else:
        future.set_result(result)
