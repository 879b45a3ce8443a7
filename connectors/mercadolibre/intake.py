"""Durable intake of notifications: written before the 200, processed at least once.

Rows are claimed with a lease (`locked_until`), so a crashed or killed process's rows are
picked up again by whoever runs next, and two replicas never process the same row at once.
The unique (seller, topic, dedup key) index turns the marketplace's duplicate deliveries
into no-ops.

Replicas sharing one database (PostgreSQL) claim with `SELECT ... FOR UPDATE SKIP LOCKED` and
keep each conversation in arrival order with a guard in SQL: a row's conversation is recorded
when its message is fetched, and a row only runs when no older row of its conversation (and no
older row still being fetched, whose conversation is unknown yet) is pending or processing;
otherwise it waits briefly or goes back to pending for a moment (`release`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from connectors.mercadolibre.notification import Notification
from postsale import settings
from postsale.db import get_engine, is_sqlite, metadata

LEASE_SECONDS = 20.0  # renewed every few seconds while a row is being worked on
MAX_ATTEMPTS = 5
ACTIVE = ("pending", "processing")

notifications = Table(
    "meli_notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("seller_id", BigInteger, nullable=False),
    Column("topic", String(40), nullable=False),
    Column("resource", String(256), nullable=False),
    Column("dedup_key", String(400), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("conversation", String(64), nullable=True),
    Column("received_at", Float, nullable=False),
    Column("not_before", Float, nullable=False, default=0.0),
    Column("locked_until", Float, nullable=True),
    Column("locked_by", String(64), nullable=True),
    Column("processed_at", Float, nullable=True),
    Column("outcome", String(64), nullable=True),
    Column("error", Text, nullable=True),
    UniqueConstraint("seller_id", "topic", "dedup_key", name="uq_meli_notification"),
)
Index("ix_meli_notifications_status", notifications.c.status, notifications.c.id)

conversations = Table(
    "meli_conversations",
    metadata,
    Column("seller_id", BigInteger, primary_key=True),
    Column("pack_id", String(32), primary_key=True),
    Column("site_id", String(8), nullable=True),
    Column("buyer_id", BigInteger, nullable=True),
    Column("last_from_user_id", BigInteger, nullable=True),
    Column("order_ids", Text, nullable=True),
    Column("status", String(64), nullable=True),
    Column("updated_at", Float, nullable=False),
)

replies = Table(
    "meli_replies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("seller_id", BigInteger, nullable=False),
    Column("pack_id", String(32), nullable=False),
    Column("notification_id", Integer, nullable=True),
    Column("message_id", String(64), nullable=True),
    Column("text", Text, nullable=False),
    Column("status", String(32), nullable=False),
    Column("moderation_reason", String(64), nullable=True),
    Column("created_at", Float, nullable=False),
)
Index("ix_meli_replies_dashboard", replies.c.created_at, replies.c.status)  # withheld replies per period


def _pending_row(note: Notification, now: float) -> dict[str, Any]:
    """A stored notification, waiting for the worker."""
    return {"seller_id": note.user_id, "topic": note.topic, "resource": note.resource, "dedup_key": note.dedup_key,
            "payload": note.as_json(), "status": "pending", "attempts": 0, "received_at": now, "not_before": 0.0}


@dataclass(frozen=True)
class Finished:
    """A notification the worker is done with, and how it ended."""

    row_id: int
    outcome: str
    conversation: str | None


@dataclass
class IntakeRow:
    id: int
    seller_id: int
    topic: str
    resource: str
    payload: dict[str, Any]
    attempts: int


class Intake:
    """Synchronous SQL operations; the channel calls them through asyncio.to_thread."""

    def __init__(self, engine: Engine | None = None, worker_id: str | None = None,
                 guard: bool | None = None) -> None:
        """`worker_id` and `guard` default to MELI_WORKER_ID and MELI_CONVERSATION_GUARD (settings)."""
        marketplace = settings.current().marketplace
        self.engine = engine or get_engine()
        # Stable per deployment slot (default the host name): a restarted process takes back its
        # own unfinished rows at once instead of waiting for the lease.
        self.worker_id = worker_id or marketplace.worker_id
        self.shared = not is_sqlite(self.engine)
        # The cross-replica conversation guard: on by default where replicas can share the
        # database; SQLite is one process, whose worker already keeps each conversation in order.
        guard = marketplace.conversation_guard if guard is None else guard
        self.guard = self.shared if guard is None else guard

    def reclaim_own(self) -> int:
        with self.engine.begin() as conn:
            return conn.execute(notifications.update().where(and_(
                notifications.c.status == "processing", notifications.c.locked_by == self.worker_id,
            )).values(status="pending", locked_until=None)).rowcount

    def renew(self, row_ids: list[int], lease: float = LEASE_SECONDS) -> None:
        if not row_ids:
            return
        with self.engine.begin() as conn:
            conn.execute(notifications.update().where(and_(
                notifications.c.id.in_(row_ids), notifications.c.locked_by == self.worker_id,
            )).values(locked_until=time.time() + lease))

    def add(self, note: Notification) -> bool:
        """True when stored, False when it was a duplicate delivery."""
        try:
            with self.engine.begin() as conn:
                conn.execute(notifications.insert().values(
                    seller_id=note.user_id, topic=note.topic, resource=note.resource,
                    dedup_key=note.dedup_key, payload=note.as_json(), status="pending",
                    attempts=0, received_at=time.time(), not_before=0.0))
            return True
        except IntegrityError:
            return False

    def add_many(self, notes: list[Notification]) -> list[bool]:
        """Several notifications in one transaction (group commit); True where stored.

        A duplicate is skipped by the unique index (ON CONFLICT DO NOTHING) without aborting the
        others; SQLite and PostgreSQL both support it."""
        now = time.time()
        # Inserted in key order: two replicas writing overlapping batches (the marketplace
        # delivering one notification to both) then wait on each other instead of deadlocking.
        rows = sorted((_pending_row(note, now) for note in notes), key=lambda row: row["dedup_key"])
        with self.engine.begin() as conn:
            new = self._insert(conn, rows, now)
        first: set[str] = set()
        stored: list[bool] = []
        for note in notes:  # the same key twice in one batch: only the first is "stored"
            fresh = note.dedup_key in new and note.dedup_key not in first
            first.add(note.dedup_key)
            stored.append(fresh)
        return stored

    def _insert(self, conn: Any, rows: list[dict[str, Any]], now: float) -> set[str]:
        """One statement for the batch, then one query for what it stored (a duplicate keeps the
        received_at of its first delivery): two round trips instead of one per notification,
        which kept the write lock, and so the next acknowledgement, waiting under a burst."""
        insert = (sqlite_insert if is_sqlite(self.engine) else pg_insert)(notifications).on_conflict_do_nothing()
        conn.execute(insert, rows)
        return set(conn.execute(select(notifications.c.dedup_key).where(and_(
            notifications.c.dedup_key.in_([row["dedup_key"] for row in rows]),
            notifications.c.received_at == now))).scalars())

    def warm_up(self) -> None:
        """Open a pooled connection and compile the webhook's statements before the first
        notification: the first acknowledgements after a start paid for both (60-70 ms)."""
        now = time.time()
        probe = Notification(topic="messages", resource="warm-up", user_id=0, application_id=0,
                             notification_id=None, attempts=1, sent=None)
        with self.engine.connect() as conn:
            transaction = conn.begin()
            try:
                self._insert(conn, [_pending_row(probe, now)], now)
            finally:
                transaction.rollback()  # nothing stays

    def claim(self, limit: int = 50, lease: float = LEASE_SECONDS,
              paused: Collection[int] = ()) -> list[IntakeRow]:
        """Take up to `limit` rows that are due: pending, or abandoned by a dead worker.

        Fair across stores: the batch takes each store's oldest row, then each store's second...
        (its rank within its store), so a store's burst of 500 does not fill every batch ahead of
        another store's single message. Rows of `paused` stores (disconnected) stay pending."""
        now = time.time()
        due = or_(
            and_(notifications.c.status == "pending", notifications.c.not_before <= now),
            and_(notifications.c.status == "processing", notifications.c.locked_until < now),
        )
        if paused:
            due = and_(due, notifications.c.seller_id.notin_(list(paused)))
        rank = func.row_number().over(partition_by=notifications.c.seller_id, order_by=notifications.c.id)
        ranked = select(notifications.c.id, rank.label("rank")).where(due).subquery()
        if self.shared:
            # Rows another replica is claiming right now are skipped instead of waited for: the
            # lock is taken on the rows in rank order, so a batch is full whenever rows are due.
            # `due` is also a condition on the locked table itself: a row the other replica
            # claimed between our snapshot and our lock is re-checked on its new version (and
            # skipped), instead of passing on the subquery's stale view and shortening the batch.
            query = (select(notifications.c.id).join(ranked, ranked.c.id == notifications.c.id).where(due)
                     .order_by(ranked.c.rank, notifications.c.id).limit(limit)
                     .with_for_update(skip_locked=True, of=notifications))
        else:
            fair = select(ranked.c.id).order_by(ranked.c.rank, ranked.c.id).limit(limit)
            query = select(notifications.c.id).where(notifications.c.id.in_(fair.scalar_subquery()))
        until = now + lease
        with self.engine.begin() as conn:
            ids = list(conn.execute(query).scalars())
            if not ids:
                return []
            # One conditional update for the batch (SQLite: BEGIN IMMEDIATE; PostgreSQL: the rows
            # are locked by this transaction already), then the rows it won: three statements
            # instead of one per row, so the webhook's inserts wait less for the write lock.
            conn.execute(notifications.update().where(and_(notifications.c.id.in_(ids), due)).values(
                status="processing", locked_until=until, locked_by=self.worker_id,
                attempts=notifications.c.attempts + 1))
            rows = conn.execute(select(notifications).where(and_(
                notifications.c.id.in_(ids), notifications.c.locked_by == self.worker_id,
                notifications.c.locked_until == until)).order_by(notifications.c.id)).fetchall()
        return [IntakeRow(row.id, row.seller_id, row.topic, row.resource, json.loads(row.payload), row.attempts)
                for row in rows]

    # --- conversation guard (replicas sharing the database) ---------------------------------
    def set_conversation(self, row_id: int, conversation: str) -> None:
        """Record the row's conversation as soon as it is known (after GET /messages)."""
        with self.engine.begin() as conn:
            conn.execute(notifications.update().where(and_(
                notifications.c.id == row_id, notifications.c.locked_by == self.worker_id,
            )).values(conversation=conversation))

    def blockers(self, row_id: int, seller_id: int, conversation: str) -> int:
        """Older rows that must run first: same conversation and not finished, or still being
        fetched (conversation unknown, lease alive) or never claimed yet. A row whose fetch
        failed and waits for its retry does not block: its conversation is unknown."""
        now = time.time()
        c = notifications.c
        unresolved = and_(c.conversation.is_(None), or_(
            and_(c.status == "processing", c.locked_until >= now),
            and_(c.status == "pending", c.attempts == 0),
        ))
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(notifications).where(and_(
                c.seller_id == seller_id, c.id < row_id, c.status.in_(ACTIVE),
                or_(c.conversation == conversation, unresolved),
            ))).scalar() or 0)

    def release(self, row_id: int, delay: float) -> None:
        """Not this row's turn: back to pending for a moment, the claim not counted as an attempt.
        It keeps its conversation, so the conversation's newer rows keep waiting behind it."""
        with self.engine.begin() as conn:
            conn.execute(notifications.update().where(and_(
                notifications.c.id == row_id, notifications.c.locked_by == self.worker_id,
                notifications.c.status == "processing",
            )).values(status="pending", locked_until=None, not_before=time.time() + delay,
                      attempts=notifications.c.attempts - 1))

    def finish(self, row_id: int, outcome: str, conversation: str | None = None) -> None:
        self.finish_many([Finished(row_id, outcome, conversation)])

    def finish_many(self, done: list[Finished]) -> list[None]:
        """Several rows marked done in one transaction (the worker's group commit)."""
        now = time.time()
        c = notifications.c
        statement = notifications.update().where(c.id == bindparam("row_id")).values(
            status="done", outcome=bindparam("outcome_"), conversation=bindparam("conversation_"),
            processed_at=now, locked_until=None, error=None)
        with self.engine.begin() as conn:
            conn.execute(statement, [{"row_id": d.row_id, "outcome_": d.outcome, "conversation_": d.conversation}
                                     for d in done])
        return [None] * len(done)

    def retry_later(self, row_id: int, attempts: int, error: str) -> bool:
        """Back to pending with backoff; after MAX_ATTEMPTS it is parked as failed."""
        failed = attempts >= MAX_ATTEMPTS
        with self.engine.begin() as conn:
            conn.execute(notifications.update().where(notifications.c.id == row_id).values(
                status="failed" if failed else "pending", error=error[:2000], locked_until=None,
                not_before=time.time() + min(60.0, 2.0 ** attempts)))
        return not failed

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(notifications.c.status, notifications.c.id)).fetchall()
        result: dict[str, int] = {}
        for status, _ in rows:
            result[status] = result.get(status, 0) + 1
        return result

    # --- conversations and replies ---------------------------------------------------------
    def remember_conversation(self, seller_id: int, pack_id: str, **values: Any) -> None:
        values = {k: v for k, v in values.items() if v is not None}
        if "order_ids" in values:
            values["order_ids"] = json.dumps(values["order_ids"])
        key = and_(conversations.c.seller_id == seller_id, conversations.c.pack_id == pack_id)
        try:
            with self.engine.begin() as conn:
                updated = conn.execute(
                    conversations.update().where(key).values(updated_at=time.time(), **values)
                ).rowcount
                if not updated:
                    conn.execute(conversations.insert().values(
                        seller_id=seller_id, pack_id=pack_id, updated_at=time.time(), **values))
        except IntegrityError:  # another replica inserted it first (PostgreSQL)
            with self.engine.begin() as conn:
                conn.execute(conversations.update().where(key).values(updated_at=time.time(), **values))

    def conversation(self, seller_id: int, pack_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(conversations).where(and_(
                conversations.c.seller_id == seller_id, conversations.c.pack_id == pack_id))).first()
        return dict(row._mapping) if row else None

    def record_reply(self, seller_id: int, pack_id: str, text: str, status: str,
                     message_id: str | None = None, reason: str | None = None,
                     notification_id: int | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(replies.insert().values(
                seller_id=seller_id, pack_id=pack_id, text=text, status=status, message_id=message_id,
                moderation_reason=reason, notification_id=notification_id, created_at=time.time()))

    def replies_for_notification(self, notification_row: int) -> int:
        with self.engine.connect() as conn:
            rows = conn.execute(select(replies.c.id).where(replies.c.notification_id == notification_row)
                                .limit(1)).fetchall()
        return len(rows)

    def replies_for(self, pack_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(replies).where(replies.c.pack_id == pack_id)
                                .order_by(replies.c.id)).fetchall()
        return [dict(r._mapping) for r in rows]
