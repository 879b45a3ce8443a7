"""Two Rasa replicas on Rasa's distributed components (PostgreSQL tracker store and intake,
Redis lock store, RabbitMQ event broker), for tests/live/test_scale_out.py and bench/run.py.

Needs PostgreSQL (trust auth, user postgres), Redis and RabbitMQ (guest/guest) on 127.0.0.1;
`services_missing()` says which is not there.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from testkit.stack import MODEL, ROOT, SECRET, Stack, free_port

PG = "postgresql://postgres@127.0.0.1:5432"
REPLICAS = ("replica-a", "replica-b")


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def services_missing() -> str | None:
    for name, port in (("PostgreSQL", 5432), ("Redis", 6379), ("RabbitMQ", 5672)):
        if not _listening(port):
            return f"{name} not listening on 127.0.0.1:{port}"
    try:
        import aio_pika  # noqa: F401
        import psycopg2  # noqa: F401
        import redis  # noqa: F401
    except ImportError as err:
        return f"driver missing: {err}"
    return None


def _pg(sql: str, db: str = "postgres") -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/{db}")
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


def _query(db: str, sql: str) -> list[dict[str, Any]]:
    import psycopg2
    import psycopg2.extras

    conn = psycopg2.connect(f"{PG}/{db}")
    try:
        cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
        cur.execute(sql)
        return [dict(r) for r in cur.fetchall()]
    finally:
        conn.close()


class ScaleStack(Stack):
    """Simulator (no push: the test delivers notifications), one action server and two Rasa
    replicas on endpoints.scale.yml, with their own database, queue and lock-key prefix."""

    def __init__(self, tmp: Path) -> None:
        super().__init__(tmp)
        tag = uuid.uuid4().hex[:8]
        self.db = f"meli_scale_{tag}"
        self.queue = f"rasa_events_{tag}"
        self.lock_prefix = f"scale{tag}"
        self.ports = {REPLICAS[0]: self.rasa_port, REPLICAS[1]: free_port()}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}
        self.env.update(
            MELI_DB_URL=f"{PG}/{self.db}", RASA_ENDPOINTS=str(ROOT / "endpoints.scale.yml"),
            ACTION_ENDPOINT_URL=f"http://127.0.0.1:{self.actions_port}/webhook",
            RASA_DB_HOST="127.0.0.1", RASA_DB_PORT="5432", RASA_DB_NAME=self.db, RASA_DB_USER="postgres",
            RASA_DB_PASSWORD="", RASA_REDIS_HOST="127.0.0.1", RASA_REDIS_PORT="6379", RASA_REDIS_DB="1",
            RASA_LOCK_PREFIX=self.lock_prefix, RASA_RABBITMQ_HOST="127.0.0.1", RASA_RABBITMQ_PORT="5672",
            RASA_RABBITMQ_USER="guest", RASA_RABBITMQ_PASSWORD="guest", RASA_EVENTS_QUEUE=self.queue,
            MELI_CONVERSATION_GUARD=os.environ.get("MELI_CONVERSATION_GUARD", "auto"),  # "off": control run
        )
        self.timings: dict[str, float] = {}

    def start(self) -> None:
        if not MODEL.exists():
            raise RuntimeError("models/bot.tar.gz missing: run scripts/test.sh (it trains first)")
        started = time.time()
        _pg(f"CREATE DATABASE {self.db}")
        logging_config = self.tmp / "logging.yml"  # the worker's INFO lines (guard waits) in the logs
        logging_config.write_text(
            "version: 1\ndisable_existing_loggers: false\nhandlers:\n  out:\n    class: logging.StreamHandler\n"
            "loggers:\n  connectors.mercadolibre.worker:\n    level: INFO\n    handlers: [out]\n    propagate: false\n")
        self._spawn("simulator", [sys.executable, "-m", "simulator", "--port", str(self.sim_port)])
        self._spawn("actions", [sys.executable, "-m", "actions", "-p", str(self.actions_port)])
        for name, port in self.ports.items():
            log = open(self.tmp / f"{name}.log", "a")
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", "connectors", "run", "-m", str(MODEL), "-i", "127.0.0.1", "-p", str(port),
                 "--enable-api", "--endpoints", str(ROOT / "endpoints.scale.yml"),
                 "--credentials", str(ROOT / "credentials.yml"), "--logging-config-file", str(logging_config)],
                cwd=ROOT, env={**self.env, "MELI_WORKER_ID": name}, stdout=log, stderr=subprocess.STDOUT)
        # bounded: start-up (both replicas load the model at once) + 60 s of traffic stay < 3 min
        self._wait(f"{self.sim}/_sim/health", "simulator", seconds=60)
        self._wait(f"http://127.0.0.1:{self.actions_port}/health", "actions", seconds=120)
        for name, url in self.urls.items():
            self._wait(f"{url}/webhooks/mercadolibre/", name, seconds=int(max(10, 120 - (time.time() - started))))
        self.timings["startup_s"] = round(time.time() - started, 1)

    def stop(self) -> None:
        super().stop()
        for cleanup in (self._drop_queue, self._drop_locks, self._drop_database):
            try:
                cleanup()
            except Exception as err:  # noqa: BLE001 - cleanup must not hide the test's result
                print(f"cleanup failed: {err!r}")

    def _drop_database(self) -> None:
        _pg(f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")

    def _drop_queue(self) -> None:
        async def drop() -> None:
            import aio_pika

            conn = await aio_pika.connect("amqp://guest:guest@127.0.0.1:5672/")
            async with conn:
                channel = await conn.channel()
                await channel.queue_delete(self.queue)

        asyncio.run(drop())

    def _drop_locks(self) -> None:
        import redis

        red = redis.Redis(host="127.0.0.1", port=6379, db=1)
        for key in red.scan_iter(f"{self.lock_prefix}:*"):
            red.delete(key)

    def webhook_of(self, replica: str) -> str:
        return f"{self.urls[replica]}/webhooks/mercadolibre/webhook?secret={SECRET}"

    def query(self, sql: str) -> list[dict[str, Any]]:
        return _query(self.db, sql)
