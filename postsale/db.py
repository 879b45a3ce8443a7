"""The product's SQL database: the channel's intake, the seller's tokens, the handoff tickets.

SQLite by default (a file under var/), PostgreSQL by URL (`MELI_DB_URL`, postsale.settings),
through SQLAlchemy 1.4 which Rasa already pins. Everything a restart must not lose lives here,
in one database, so the channel and the inbox always see the same tickets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

from postsale import settings

metadata = MetaData()


def database_url() -> str:
    return settings.current().database_url


_created: dict[str, set[str]] = {}


def get_engine(url: str | None = None) -> Engine:
    """One engine (and pool) per database URL per process, with every known table created.

    Modules register their tables on import (intake, tokens, tickets), possibly after the
    engine was first made, so new tables are created on the next call."""
    url = url or database_url()
    engine = _engine(url)
    known = set(metadata.tables)
    if _created.get(url) != known:
        _create_tables(engine)
        _created[url] = known
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


# Run after a column was added to an existing table (an upgrade): fills it from what the rows
# already hold. table name -> function(connection).
BACKFILLS: dict[str, Callable[[Connection], None]] = {}


def _create_tables(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE already serialises processes
            metadata.create_all(conn)
            _add_missing_columns(conn)
        return
    # Replicas and the action server start together: without a lock two of them both see a
    # table missing and the second CREATE fails. The advisory lock ends with the transaction.
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
        metadata.create_all(conn)
        _add_missing_columns(conn)


def _add_missing_columns(conn: Connection) -> None:
    """The upgrade path for a database made by an older release: a column a table gained (all
    are nullable) is added, its table's backfill run, and an index it gained created.
    create_all only creates missing tables."""
    inspector = inspect(conn)
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing = [column for column in table.columns if column.name not in present]
        for column in missing:
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}'))
        if missing and table.name in BACKFILLS:
            BACKFILLS[table.name](conn)
        known = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in known:
                index.create(conn, checkfirst=True)


# Threads whose transactions go first: the webhook's group commit (a 200 is waiting on it).
URGENT_THREADS = {"intake-writer"}  # connectors/mercadolibre/intake_writer.py WRITER_THREAD


class WriterLock:
    """One SQLite writer at a time in this process, urgent transactions first.

    A plain Lock is unfair: the intake writer, whose commit an acknowledgement waits for, lost
    the race to the worker's six threads again and again under a burst."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._held = False
        self._urgent_waiting = 0

    def acquire(self, timeout: float, urgent: bool = False) -> bool:
        with self._cond:
            if urgent:
                self._urgent_waiting += 1
            try:
                return self._cond.wait_for(
                    lambda: not self._held and (urgent or not self._urgent_waiting), timeout
                ) and self._take()
            finally:
                if urgent:
                    self._urgent_waiting -= 1

    def _take(self) -> bool:
        self._held = True
        return True

    def locked(self) -> bool:
        return self._held

    def release(self) -> None:
        with self._cond:
            self._held = False
            self._cond.notify_all()


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # QueuePool: SQLAlchemy 1.4 opens a new SQLite connection (and runs the pragmas) for
        # every transaction otherwise, which profiling showed on the webhook's path.
        engine = create_engine(
            url, future=True, poolclass=QueuePool, pool_size=8, max_overflow=8,
            connect_args={"check_same_thread": False, "timeout": 30},
        )
        writer = WriterLock()

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            # WAL lets the action server read tokens while the channel writes the intake.
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
            dbapi_conn.isolation_level = None  # SQLAlchemy's recipe: we issue BEGIN ourselves

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
            # IMMEDIATE takes the write lock up front, so the busy timeout applies; a deferred
            # transaction that reads, then writes, fails at once with "database is locked"
            # when another process writes (the action server and Rasa share this file).
            #
            # Threads of this process queue on a Python lock first. Waiting in SQLite's busy
            # handler instead costs sleeps of up to 100 ms, and with the webhook's inserts and
            # the worker's updates competing that was the tail of the ack latency (p99 > 1 s
            # on a 1,000-notification burst). Other processes still meet the busy timeout.
            if not writer.acquire(30, urgent=threading.current_thread().name in URGENT_THREADS):
                raise TimeoutError("SQLite writer lock not acquired in 30 s")
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                writer.release()
                raise

        @event.listens_for(engine, "commit")
        @event.listens_for(engine, "rollback")
        def _sqlite_end(conn) -> None:  # type: ignore[no-untyped-def]
            if writer.locked():
                writer.release()
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    return engine
