"""The webhook's writes: a notification is committed before its 200, in a group commit.

A notification must be stored before its 200 (that is what makes a crash lose nothing), but one
transaction per notification made every acknowledgement queue for the database's single
writer, behind the worker's updates. Under a burst that queue, not the insert, was the ack
latency. Here the webhook awaits a group commit (`group_commit.py`): a burst of 20 concurrent
deliveries costs about one commit instead of 20, and nobody gets a 200 before their row is
committed. The writer thread is "urgent" for postsale/db.py's write lock: it goes before the
worker's transactions.

The worker's "done" marks go through a second group commit of their own (`Finisher`): a burst
of notifications that need no answer used to be a thousand small transactions competing with
the webhook's inserts for the write lock.
"""

from __future__ import annotations

import time
from collections import deque

from connectors.mercadolibre.group_commit import GroupCommit
from connectors.mercadolibre.intake import Finished, Intake
from connectors.mercadolibre.notification import Notification
from postsale.db import URGENT_THREADS

BURST_COUNT = 5
BURST_WINDOW = 0.1
WRITER_THREAD = "intake-writer"
if WRITER_THREAD not in URGENT_THREADS:  # postsale cannot import connectors: checked here, loudly
    raise RuntimeError(f"postsale/db.py URGENT_THREADS must name {WRITER_THREAD!r}")


class IntakeWriter:
    def __init__(self, intake: Intake) -> None:
        self._commit: GroupCommit[Notification] = GroupCommit(intake.add_many, WRITER_THREAD, self._stored)
        self._recent: deque[float] = deque(maxlen=BURST_COUNT)  # when the last notifications were stored

    async def add(self, note: Notification) -> bool:
        """True when stored, False for a duplicate; raises if the transaction failed."""
        return bool(await self._commit.submit(note))

    def _stored(self, count: int) -> None:
        now = time.monotonic()
        self._recent.extend([now] * min(count, BURST_COUNT))

    def in_burst(self) -> bool:
        """BURST_COUNT notifications stored within BURST_WINDOW: the marketplace is pushing a burst."""
        return len(self._recent) == BURST_COUNT and time.monotonic() - self._recent[0] < BURST_WINDOW

    def stop(self) -> None:
        self._commit.stop()


class Finisher:
    """The worker's "this notification is done" marks, committed in groups."""

    def __init__(self, intake: Intake) -> None:
        self._commit: GroupCommit[Finished] = GroupCommit(intake.finish_many, "intake-finisher")

    async def finish(self, row_id: int, outcome: str, conversation: str | None) -> None:
        await self._commit.submit(Finished(row_id, outcome, conversation))

    def stop(self) -> None:
        self._commit.stop()
