"""Intake claims and the conversation guard, on SQLite (tests/live/test_intake_postgresql.py runs
the same tests on PostgreSQL): two workers sharing one database process every row once, and the
rows of one conversation one at a time, in arrival order, whoever claimed them."""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from connectors.mercadolibre.intake import Finished, Intake, notifications
from connectors.mercadolibre.notification import Notification
from connectors.mercadolibre.processing import Job
from connectors.mercadolibre.worker import Worker
from postsale import settings
from postsale.db import get_engine

SELLER = 123456789


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """SQLite here; tests/live/test_intake_postgresql.py runs these same tests on PostgreSQL."""
    monkeypatch.setenv("MELI_CONVERSATION_GUARD", "on")  # SQLite: off by default (one process)
    yield f"sqlite:///{tmp_path / 'guard.db'}"


def message(conversation: str, n: int) -> Notification:
    return Notification(topic="messages", resource=f"{conversation}m{n}", user_id=SELLER,
                        application_id=5551234, notification_id=None, attempts=1, sent=None)


def rows(intake: Intake) -> dict[int, dict]:
    with intake.engine.connect() as conn:
        return {r.id: dict(r._mapping) for r in conn.execute(select(notifications).order_by(notifications.c.id))}


def test_guard_is_on_for_postgresql_and_off_for_sqlite_by_default(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("MELI_CONVERSATION_GUARD", raising=False)
    assert Intake(get_engine(f"sqlite:///{tmp_path / 'a.db'}")).guard is False
    monkeypatch.setenv("MELI_CONVERSATION_GUARD", "on")
    settings.reset()  # settings are read once per process: this one restarts with the variable set
    assert Intake(get_engine(f"sqlite:///{tmp_path / 'a.db'}")).guard is True


def test_concurrent_claims_never_share_a_row(db_url: str) -> None:
    engine = get_engine(db_url)
    a, b = Intake(engine, "replica-a"), Intake(engine, "replica-b")
    for n in range(60):
        assert a.add(message(f"c{n % 6}", n))
    assert not b.add(message("c0", 0))  # a redelivery is a duplicate, whichever replica gets it

    def claim_all(intake: Intake) -> list[int]:
        got: list[int] = []
        for _ in range(10):  # 2 x 10 x 3 = exactly the 60 rows, whatever the interleaving
            got += [r.id for r in intake.claim(limit=3)]
        return got

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        got_a, got_b = pool.map(claim_all, [a, b])
    assert not set(got_a) & set(got_b)
    assert sorted(got_a + got_b) == sorted(rows(a))


def test_blockers_follow_the_conversation_and_release_keeps_the_turn(db_url: str) -> None:
    engine = get_engine(db_url)
    a, b = Intake(engine, "replica-a"), Intake(engine, "replica-b")
    for n in range(4):
        a.add(message("x" if n != 2 else "y", n))
    ids = sorted(rows(a))
    first = a.claim(limit=1)[0]  # row 1 (x): claimed by a, its message not fetched yet
    later = b.claim(limit=3)  # rows 2 (x), 3 (y), 4 (x)
    assert [r.id for r in later] == ids[1:]
    for row, conv in zip(later, ["x", "y", "x"]):
        b.set_conversation(row.id, conv)
    # row 1's conversation is unknown yet: every newer row waits until it is known
    assert b.blockers(ids[2], SELLER, "y") == 1
    a.set_conversation(first.id, "x")
    assert b.blockers(ids[2], SELLER, "y") == 0  # another conversation: runs in parallel
    assert b.blockers(ids[1], SELLER, "x") == 1  # row 1 of x is still being answered
    assert b.blockers(ids[3], SELLER, "x") == 2
    b.release(ids[1], 0.0)
    row2 = rows(a)[ids[1]]
    assert (row2["status"], row2["attempts"], row2["conversation"]) == ("pending", 0, "x")
    a.finish(first.id, "answered", "x")
    assert b.blockers(ids[3], SELLER, "x") == 1  # the released row 2 keeps its turn
    assert [r.id for r in a.claim(limit=5)] == [ids[1]]
    assert a.blockers(ids[1], SELLER, "x") == 0
    # a row whose fetch failed waits for its retry without blocking anyone (conversation unknown)
    a.add(message("z", 9))
    failed = a.claim(limit=1)[0]
    a.retry_later(failed.id, failed.attempts, "GET /messages 500")
    a.add(message("w", 10))
    newest = max(rows(a))
    assert a.blockers(newest, SELLER, "w") == 0


class FakeProcessor:
    """Resolves the conversation from the resource and records who processed what, when."""

    def __init__(self, name: str, log: list[tuple[str, int, str]], running: set[str],
                 overlaps: list[str]) -> None:
        self.name, self.log, self.running, self.overlaps = name, log, running, overlaps

    async def resolve(self, row) -> Job:
        await asyncio.sleep(random.uniform(0, 0.03))
        return Job(row, row.resource.split("m")[0])

    async def process(self, job: Job) -> str:
        if job.key in self.running:
            self.overlaps.append(job.key)
        self.running.add(job.key)
        await asyncio.sleep(random.uniform(0.01, 0.06))
        self.running.discard(job.key)
        self.log.append((job.key, job.row.id, self.name))
        return "answered"


async def test_two_workers_keep_each_conversation_in_arrival_order(db_url: str) -> None:
    random.seed(7)
    engine = get_engine(db_url)
    log: list[tuple[str, int, str]] = []
    running: set[str] = set()
    overlaps: list[str] = []
    workers = []
    for name in ("replica-a", "replica-b"):
        intake = Intake(engine, name)
        workers.append(Worker(intake, FakeProcessor(name, log, running, overlaps), poll_seconds=0.05, batch=4))
    for worker in workers:
        worker.start()
    conversations, per_conversation = 6, 5
    try:
        for n in range(per_conversation):
            for c in range(conversations):
                await asyncio.to_thread(workers[0].intake.add, message(f"c{c}", n))
                workers[(n + c) % 2].wake()
                await asyncio.sleep(random.uniform(0, 0.01))
        total = conversations * per_conversation
        for _ in range(600):
            if len(log) >= total:
                break
            await asyncio.sleep(0.05)
    finally:
        for worker in workers:
            await worker.stop()
    stored = rows(workers[0].intake)
    assert len(log) == len(stored) == conversations * per_conversation  # each row once
    assert not overlaps  # never two rows of one conversation at the same time
    for c in range(conversations):
        order = [row_id for key, row_id, _ in log if key == f"c{c}"]
        assert order == sorted(order), (f"c{c}", order)
    assert {name for _, _, name in log} == {"replica-a", "replica-b"}
    assert all(r["status"] == "done" and r["attempts"] == 1 for r in stored.values())
    if db_url.startswith("postgresql"):
        with engine.connect() as conn:  # the same checks the table itself can answer
            assert conn.execute(text("select count(*) from meli_notifications where status = 'done'")).scalar() == 30


async def test_every_channel_table_works_on_the_database(db_url: str, simulator, monkeypatch) -> None:
    """Tokens (seeded by two replicas at once, refreshed once), conversations, replies and
    tickets: the same code on SQLite and PostgreSQL."""
    from meli import MeliClient
    from meli.tokens import OAuthApp, TokenStore
    from postsale import tickets
    from simulator.constants import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN

    monkeypatch.setenv("MELI_DB_URL", db_url)
    engine = get_engine(db_url)

    def store() -> TokenStore:
        return TokenStore(SELLER, OAuthApp(CLIENT_ID, CLIENT_SECRET), MeliClient(simulator.base_url, max_retries=0),
                          engine, initial_refresh_token=REFRESH_TOKEN)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:  # replicas starting together
        stores = list(pool.map(lambda _: store(), range(4)))
    # one store per process in real life: a second store in the same event loop would wait on
    # the first one's row lock synchronously, so they take turns here
    tokens = [await s.token() for s in stores]
    assert len(set(tokens)) == 1
    assert len([r for r in await simulator.requests() if r["path"] == "/oauth/token"]) == 1

    intake = Intake(engine, "replica-a")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: intake.remember_conversation(SELLER, "2000007000000201", site_id="MLB",
                                                             buyer_id=n, order_ids=["2000010000000201"]), range(8)))
    assert intake.conversation(SELLER, "2000007000000201")["site_id"] == "MLB"
    intake.record_reply(SELLER, "2000007000000201", "Seu pedido está a caminho.", "sent", message_id="m1",
                        notification_id=1)
    assert intake.replies_for_notification(1) == 1
    assert [r["text"] for r in intake.replies_for("2000007000000201")] == ["Seu pedido está a caminho."]

    base = {"channel": "mercadolibre", "origin": "Mercado Libre", "language": "pt", "transcript": []}
    tickets.save({**base, "id": "t1", "conversation_id": "conv", "interaction_type": "Help", "reason": "request_human"})
    tickets.save({**base, "id": "t2", "conversation_id": "conv", "interaction_type": "Complaint",
                  "reason": "complaint_damaged"})
    assert [(t["id"], t["interaction_type"]) for t in tickets.queue()] == [("t1", "Complaint")]
    assert tickets.update("t1", status="resolved") and tickets.open_for("conv") is None


def test_batch_insert_tells_stored_from_duplicate_and_warm_up_leaves_nothing(db_url: str) -> None:
    intake = Intake(get_engine(db_url), worker_id="a")
    intake.warm_up()
    assert rows(intake) == {}
    first, again = message("c1", 1), message("c1", 2)
    assert intake.add_many([first, again, first]) == [True, True, False]  # twice in one batch
    assert intake.add_many([again, message("c1", 3)]) == [False, True]  # already stored
    claimed = intake.claim(10)
    assert [r.resource for r in claimed] == ["c1m1", "c1m2", "c1m3"] and {r.attempts for r in claimed} == {1}
    assert intake.claim(10) == []  # leased
    intake.finish_many([Finished(claimed[0].id, "answered", "c1"), Finished(claimed[1].id, "no_reply", None)])
    stored = rows(intake)
    assert [stored[r.id]["status"] for r in claimed] == ["done", "done", "processing"]
    assert stored[claimed[0].id]["outcome"] == "answered" and stored[claimed[0].id]["conversation"] == "c1"
