"""SQL engine shared by the marketplace channel's intake and the token store.

SQLite by default (a file under var/), PostgreSQL by URL (`MELI_DB_URL`), through SQLAlchemy
1.4 which Rasa already pins. Everything a restart must not lose lives here.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine

DEFAULT_URL = "sqlite:///var/mercadolibre.db"
metadata = MetaData()


def database_url() -> str:
    return os.environ.get("MELI_DB_URL") or DEFAULT_URL


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    url = url or database_url()
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
            conn.exec_driver_sql("BEGIN")
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine
