"""Group commit for the webhook: many acknowledgements, one SQL transaction.

A notification must be stored before its 200 (that is what makes a crash lose nothing), but one
transaction per notification made every acknowledgement queue for the database's single
writer, behind the worker's updates. Under a burst that queue, not the insert, was the ack
latency. Here the webhook hands its notification to one writer thread and awaits the commit;
the thread takes everything that arrived meanwhile into the same transaction. A burst of 20
concurrent deliveries costs about one commit instead of 20, and the guarantee is unchanged:
nobody gets a 200 before their row is committed.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass

from connectors.mercadolibre.intake import Intake
from connectors.mercadolibre.notification import Notification

logger = logging.getLogger(__name__)
MAX_BATCH = 200
BURST_COUNT = 5
BURST_WINDOW = 0.1


@dataclass
class _Pending:
    note: Notification
    future: asyncio.Future[bool]
    loop: asyncio.AbstractEventLoop


class IntakeWriter:
    def __init__(self, intake: Intake) -> None:
        self.intake = intake
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._recent: deque[float] = deque(maxlen=BURST_COUNT)  # when the last notifications were stored

    async def add(self, note: Notification) -> bool:
        """True when stored, False for a duplicate; raises if the transaction failed."""
        self._ensure_thread()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._queue.put(_Pending(note, future, loop))
        return await future

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="intake-writer", daemon=True)
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
            results = self._write([p.note for p in batch])
            now = time.monotonic()
            self._recent.extend([now] * len(batch))
            for pending, result in zip(batch, results):
                pending.loop.call_soon_threadsafe(_settle, pending.future, result)

    def _write(self, notes: list[Notification]) -> list[bool | BaseException]:
        """One retry: the insert is idempotent (ON CONFLICT DO NOTHING) and a rolled-back batch left
        nothing behind, so a transient failure (a PostgreSQL deadlock, a locked SQLite file) need
        not cost the marketplace a redelivery."""
        for attempt in (1, 2):
            try:
                return list(self.intake.add_many(notes))
            except Exception as exc:  # noqa: BLE001 - every waiter gets the error, the thread lives on
                if attempt == 2:
                    logger.exception("intake write of %d notifications failed", len(notes))
                    return [exc] * len(notes)
                logger.warning("intake write of %d notifications failed, retrying: %s", len(notes), exc)
        raise AssertionError("unreachable")

    def in_burst(self) -> bool:
        """BURST_COUNT notifications stored within BURST_WINDOW: the marketplace is pushing a burst."""
        return len(self._recent) == BURST_COUNT and time.monotonic() - self._recent[0] < BURST_WINDOW

    def stop(self) -> None:
        self._queue.put(None)


def _settle(future: asyncio.Future[bool], result: bool | BaseException) -> None:
    if future.done():
        return
    if isinstance(result, BaseException):
        future.set_exception(result)
    else:
        future.set_result(result)
