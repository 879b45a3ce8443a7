"""Throwaway PostgreSQL databases for live tests (the machine's server, trust auth)."""

from __future__ import annotations

import os
import uuid

PG_ADMIN = os.environ.get("MELI_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_available() -> bool:
    try:
        import psycopg2

        psycopg2.connect(PG_ADMIN, connect_timeout=2).close()
        return True
    except Exception:  # noqa: BLE001
        return False


def create_pg_database(prefix: str = "meli_guard") -> str:
    """A new empty database; returns its URL."""
    import psycopg2

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(PG_ADMIN)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE DATABASE {name}")
    conn.close()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(url: str) -> None:
    import psycopg2

    conn = psycopg2.connect(PG_ADMIN)
    conn.autocommit = True
    conn.cursor().execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[-1]} WITH (FORCE)")
    conn.close()
