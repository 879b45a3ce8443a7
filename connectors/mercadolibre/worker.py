"""Background worker: claims stored notifications and runs them, in order per conversation.

Fetching messages (to learn their conversation) runs in parallel; acting on them runs one at
a time per conversation, in arrival order, while different conversations proceed in parallel.
Stores share the worker fairly: the claim takes each store's oldest rows first, and the turn
slots rotate across stores (fair_slots.py). A disconnected store's rows wait, untouched, until
it connects again.
With replicas sharing the database (`Intake.guard`), each row also waits its conversation's turn
across replicas: it runs only when no older row of its conversation is unfinished anywhere.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Collection

from connectors.mercadolibre.fair_slots import FairSlots
from connectors.mercadolibre.intake import Intake, IntakeRow
from connectors.mercadolibre.intake_writer import Finisher
from connectors.mercadolibre.processing import Job, Processor
from meli import MeliError
from meli.tokens import STORE_DISCONNECTED

logger = logging.getLogger(__name__)
GUARD_WAIT_SECONDS = 3.0  # wait in place for an older row of the conversation, then release
GUARD_POLL_SECONDS = 0.15
RELEASE_SECONDS = 0.3
BURST_POLL = 0.03
BURST_MAX_WAIT = 1.0


class Worker:
    def __init__(self, intake: Intake, processor: Processor, *, poll_seconds: float = 0.5,
                 batch: int = 50, max_conversations: int = 8, fetch_concurrency: int = 4) -> None:
        self.intake = intake
        self.finisher = Finisher(intake)
        self.processor = processor
        self.poll_seconds = poll_seconds
        self.batch = batch
        self._wake = asyncio.Event()
        self._queues: dict[str, deque[Job]] = {}
        self._running: dict[str, asyncio.Task] = {}
        self._slots = FairSlots(max_conversations)
        self.paused: Callable[[], Awaitable[Collection[int]]] | None = None  # stores whose rows wait (disconnected)
        # Fetches share the event loop with the webhook: 50 at once held it long enough to push
        # acknowledgements past 150 ms under a burst (py-spy: 44% of the loop in GET /messages).
        self._fetching = asyncio.Semaphore(fetch_concurrency)
        self.in_burst: Callable[[], bool] | None = None  # is the webhook taking a burst right now?
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
        self.finisher.stop()

    def wake(self) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        reclaimed = await asyncio.to_thread(self.intake.reclaim_own)
        if reclaimed:
            logger.info("took back %d unfinished notifications after a restart", reclaimed)
        while not self._stopping:
            # Cleared before the claim, not after it: a notification stored while the claim
            # runs sets the event again, instead of waiting a whole poll interval (that lost
            # wake-up cost up to 0.5 s per message whenever messages arrived close together).
            self._wake.clear()
            await self._yield_to_burst()
            try:
                paused = await self.paused() if self.paused else ()
                rows = await asyncio.to_thread(self.intake.claim, self.batch, paused=paused)
            except Exception:  # noqa: BLE001 - the database may be briefly unavailable
                logger.exception("intake claim failed")
                rows = []
            if not rows:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                continue
            self._in_flight.update(row.id for row in rows)
            jobs = await asyncio.gather(*(self._resolve(row) for row in rows))
            for job in jobs:
                if job is not None:
                    self._enqueue(job)

    async def _yield_to_burst(self) -> None:
        """While the marketplace pushes a burst, acknowledging comes first: the worker shares the
        event loop with the webhook, which has 500 ms. It waits for the burst to thin out, never
        more than a second, so a sustained stream is still processed; a lone message never waits."""
        if self.in_burst is None:
            return
        deadline = time.monotonic() + BURST_MAX_WAIT
        while self.in_burst() and time.monotonic() < deadline:
            await asyncio.sleep(BURST_POLL)

    async def _resolve(self, row: IntakeRow) -> Job | None:
        try:
            async with self._fetching:
                job = await self.processor.resolve(row)
            if self.intake.guard:  # "" = no conversation: blocks nobody
                await asyncio.to_thread(self.intake.set_conversation, row.id, job.key or "")
            return job
        except MeliError as err:
            if err.code == STORE_DISCONNECTED:
                await self._park(row)
                return None
            await self._retry(row.id, row.attempts, str(err))
        except Exception as exc:  # noqa: BLE001 - never lose the row
            logger.exception("resolving notification %s failed", row.id)
            await self._retry(row.id, row.attempts, repr(exc))
        return None

    async def _park(self, row: IntakeRow) -> None:
        """The store was disconnected: the row waits, its attempt not counted, until it connects again."""
        self._in_flight.discard(row.id)
        await asyncio.to_thread(self.intake.release, row.id, RELEASE_SECONDS)
        logger.info("notification %s waits: store %s is disconnected", row.id, row.seller_id)

    @staticmethod
    def _key(job: Job) -> str:
        """The worker's queue of a conversation (a store's pack)."""
        return f"{job.row.seller_id}-{job.key}" if job.key else f"row-{job.row.id}"

    def _enqueue(self, job: Job) -> None:
        key = self._key(job)
        queue = self._queues.setdefault(key, deque())
        # arrival order, also for a row that comes back after a retry or a release
        queue.insert(bisect.bisect([j.row.id for j in queue], job.row.id), job)
        if key not in self._running:
            self._running[key] = asyncio.get_event_loop().create_task(self._drain(key))

    async def _drain(self, key: str) -> None:
        try:
            queue = self._queues[key]
            while queue:
                # A slot per turn, not per conversation: a store with many queued turns gives way
                # to the others after each one (fair_slots.py).
                async with self._slots.slot(queue[0].row.seller_id):
                    if not queue:
                        break
                    # A turn holds the event loop for milliseconds at a time (Rasa loads and saves
                    # the conversation there): none starts while a burst is being acknowledged.
                    await self._yield_to_burst()
                    await self._run(queue.popleft())
        finally:
            self._queues.pop(key, None)
            self._running.pop(key, None)

    async def _run(self, job: Job) -> None:
        if self.intake.guard and job.key is not None and job.outcome is None:
            turn = await self._my_turn(job)
            if turn is None:  # the older row came back to this worker meanwhile: it goes first
                self._enqueue(job)
                return
            if not turn:
                await asyncio.to_thread(self.intake.release, job.row.id, RELEASE_SECONDS)
                self._in_flight.discard(job.row.id)
                logger.info("notification %s waits for an older one of conversation %s: released",
                            job.row.id, job.key)
                asyncio.get_event_loop().call_later(RELEASE_SECONDS + 0.05, self.wake)
                return
        try:
            outcome = await self.processor.process(job)
        except MeliError as err:
            if err.code == STORE_DISCONNECTED:
                await self._park(job.row)
                return
            await self._retry(job.row.id, job.row.attempts, str(err))
            return
        except Exception as exc:  # noqa: BLE001
            logger.exception("processing notification %s failed", job.row.id)
            await self._retry(job.row.id, job.row.attempts, repr(exc))
            return
        await self.finisher.finish(job.row.id, outcome, job.key)
        self._in_flight.discard(job.row.id)
        logger.info("notification %s (%s) -> %s", job.row.id, job.row.topic, outcome)

    async def _my_turn(self, job: Job) -> bool | None:
        """True once no older row of the conversation is unfinished (in any replica); None when
        an older one is queued here now; False after GUARD_WAIT_SECONDS, so a slot is never held
        long for a row another replica must run."""
        assert job.key is not None
        started = time.monotonic()
        deadline = started + GUARD_WAIT_SECONDS
        while True:
            if any(queued.row.id < job.row.id for queued in self._queues.get(self._key(job)) or ()):
                return None
            waiting = await asyncio.to_thread(self.intake.blockers, job.row.id, job.row.seller_id, job.key)
            if not waiting:
                if time.monotonic() > started + GUARD_POLL_SECONDS:
                    logger.info("notification %s waited %.1f s for its turn in conversation %s",
                                job.row.id, time.monotonic() - started, job.key)
                return True
            if time.monotonic() >= deadline or self._stopping:
                return False
            await asyncio.sleep(GUARD_POLL_SECONDS)

    async def _retry(self, row_id: int, attempts: int, error: str) -> None:
        self._in_flight.discard(row_id)
        again = await asyncio.to_thread(self.intake.retry_later, row_id, attempts, error)
        logger.warning("notification %s failed (%s); %s", row_id, error,
                       "will retry" if again else "giving up")
        if again:
            loop = asyncio.get_event_loop()
            loop.call_later(min(60.0, 2.0 ** attempts) + 0.05, self.wake)
