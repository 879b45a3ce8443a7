"""Background worker: claims stored notifications and runs them, in order per conversation.

Fetching messages (to learn their conversation) runs in parallel; acting on them runs one at
a time per conversation, in arrival order, while different conversations proceed in parallel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from connectors.intake import Intake, IntakeRow
from connectors.processing import Job, Processor
from meli import MeliError

logger = logging.getLogger(__name__)


class Worker:
    def __init__(self, intake: Intake, processor: Processor, *, poll_seconds: float = 0.5,
                 batch: int = 50, max_conversations: int = 8) -> None:
        self.intake = intake
        self.processor = processor
        self.poll_seconds = poll_seconds
        self.batch = batch
        self._wake = asyncio.Event()
        self._queues: dict[str, deque[Job]] = {}
        self._running: dict[str, asyncio.Task] = {}
        self._slots = asyncio.Semaphore(max_conversations)
        self._task: asyncio.Task | None = None
        self._heartbeat: asyncio.Task | None = None
        self._in_flight: set[int] = set()
        self._stopping = False

    def start(self) -> None:
        if self._task is None:
            loop = asyncio.get_event_loop()
            self._task = loop.create_task(self._loop())
            self._heartbeat = loop.create_task(self._renew_leases())

    async def _renew_leases(self) -> None:
        while not self._stopping:
            await asyncio.sleep(5)
            try:
                await asyncio.to_thread(self.intake.renew, sorted(self._in_flight))
            except Exception:  # noqa: BLE001
                logger.exception("lease renewal failed")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        tasks = [t for t in [self._task, self._heartbeat, *self._running.values()] if t]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def wake(self) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        reclaimed = await asyncio.to_thread(self.intake.reclaim_own)
        if reclaimed:
            logger.info("took back %d unfinished notifications after a restart", reclaimed)
        while not self._stopping:
            try:
                rows = await asyncio.to_thread(self.intake.claim, self.batch)
            except Exception:  # noqa: BLE001 - the database may be briefly unavailable
                logger.exception("intake claim failed")
                rows = []
            if not rows:
                self._wake.clear()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                continue
            self._in_flight.update(row.id for row in rows)
            jobs = await asyncio.gather(*(self._resolve(row) for row in rows))
            for job in jobs:
                if job is not None:
                    self._enqueue(job)

    async def _resolve(self, row: IntakeRow) -> Job | None:
        try:
            return await self.processor.resolve(row)
        except MeliError as err:
            await self._retry(row.id, row.attempts, str(err))
        except Exception as exc:  # noqa: BLE001 - never lose the row
            logger.exception("resolving notification %s failed", row.id)
            await self._retry(row.id, row.attempts, repr(exc))
        return None

    def _enqueue(self, job: Job) -> None:
        key = job.key or f"row-{job.row.id}"
        self._queues.setdefault(key, deque()).append(job)
        if key not in self._running:
            self._running[key] = asyncio.get_event_loop().create_task(self._drain(key))

    async def _drain(self, key: str) -> None:
        try:
            async with self._slots:
                queue = self._queues[key]
                while queue:
                    await self._run(queue.popleft())
        finally:
            self._queues.pop(key, None)
            self._running.pop(key, None)

    async def _run(self, job: Job) -> None:
        try:
            outcome = await self.processor.process(job)
        except MeliError as err:
            await self._retry(job.row.id, job.row.attempts, str(err))
            return
        except Exception as exc:  # noqa: BLE001
            logger.exception("processing notification %s failed", job.row.id)
            await self._retry(job.row.id, job.row.attempts, repr(exc))
            return
        await asyncio.to_thread(self.intake.finish, job.row.id, outcome, job.key)
        self._in_flight.discard(job.row.id)
        logger.info("notification %s (%s) -> %s", job.row.id, job.row.topic, outcome)

    async def _retry(self, row_id: int, attempts: int, error: str) -> None:
        self._in_flight.discard(row_id)
        again = await asyncio.to_thread(self.intake.retry_later, row_id, attempts, error)
        logger.warning("notification %s failed (%s); %s", row_id, error,
                       "will retry" if again else "giving up")
        if again:
            loop = asyncio.get_event_loop()
            loop.call_later(min(60.0, 2.0 ** attempts) + 0.05, self.wake)
