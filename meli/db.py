"""SQL engine shared by the marketplace channel's intake and the token store.

SQLite by default (a file under var/), PostgreSQL by URL (`MELI_DB_URL`), through SQLAlchemy
1.4 which Rasa already pins. Everything a restart must not lose lives here.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.engine import Engine

DEFAULT_URL = "sqlite:///var/mercadolibre.db"
metadata = MetaData()


def database_url() -> str:
    return os.environ.get("MELI_DB_URL") or DEFAULT_URL


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


def _create_tables(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        metadata.create_all(engine)  # SQLite: BEGIN IMMEDIATE already serialises processes
        return
    # Replicas and the action server start together: without a lock two of them both see a
    # table missing and the second CREATE fails. The advisory lock ends with the transaction.
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
        metadata.create_all(conn)


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, future=True, connect_args={"check_same_thread": False, "timeout": 30}
        )

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
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    return engine
