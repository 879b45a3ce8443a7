"""Scale-out on Rasa's own distributed components: two Rasa server replicas (same model,
`endpoints.scale.yml`) share a fresh PostgreSQL database (tracker store + the channel's intake,
tokens and tickets), a Redis lock store and a RabbitMQ event broker. Notifications of the same
conversations are spread over both replicas' webhooks, partly concurrently; every buyer message
must be answered exactly once, each conversation in the order its buyer wrote.

Needs PostgreSQL (trust auth, user postgres), Redis and RabbitMQ (guest/guest) on 127.0.0.1;
skipped when one is missing. Figures are written to results/scale_out.json.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator import SCENARIOS
from testkit.stack import MODEL, ROOT, SECRET, Stack, free_port

pytestmark = pytest.mark.slow
SELLER = 123456789
APP = 5551234
PG = "postgresql://postgres@127.0.0.1:5432"
REPLICAS = ("replica-a", "replica-b")

# Four questions per conversation whose answers tell them apart, in the buyer's language.
TEXTS = {
    "pt": {"order_status": "cade meu pedido? ja foi enviado?", "payment": "qual foi a forma de pagamento que usei?",
           "shipping": "qual a transportadora e o codigo de rastreio?", "invoice": "preciso da nota fiscal",
           "delivery": "quando chega meu pedido?"},
    "es": {"order_status": "donde esta mi pedido? ya lo enviaron?", "payment": "con que medio de pago pague?",
           "shipping": "que transportadora lo lleva? tienen el codigo de seguimiento?",
           "invoice": "necesito la factura"},
}
HELP = ["order_status", "payment", "shipping", "invoice"]
SALES = [("shipped", "pt", HELP), ("delivered", "pt", HELP),
         ("paid_not_shipped", "pt", ["order_status", "payment", "delivery", "shipping"]),
         # late: the status question comes last, its answer hands the conversation to a person
         ("late", "pt", ["payment", "invoice", "shipping", "order_status"]),
         ("shipped_mla", "es", HELP), ("delivered_mlm", "es", HELP)]

def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _services_missing() -> str | None:
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


def note(message_id: str) -> bytes:
    return json.dumps({"_id": f"n-{message_id}", "resource": message_id, "user_id": SELLER, "topic": "messages",
                       "actions": ["created"], "application_id": APP, "attempts": 1,
                       "sent": "2026-11-29T12:00:00.000Z", "received": "2026-11-29T12:00:00.000Z"}).encode()


def events_from_broker(queue: str, seconds: float = 10) -> list[dict[str, Any]]:
    """Every event Rasa published to the test's queue (consumed, the queue is dropped after)."""
    async def drain() -> list[dict[str, Any]]:
        import aio_pika

        conn = await aio_pika.connect("amqp://guest:guest@127.0.0.1:5672/")
        found: list[dict[str, Any]] = []
        async with conn:
            channel = await conn.channel()
            q = await channel.declare_queue(queue, durable=True, passive=True)
            deadline = time.time() + seconds
            quiet_since = time.time()
            while time.time() < deadline:
                message = await q.get(no_ack=True, fail=False)
                if message is None:
                    if found and time.time() - quiet_since > 1.0:  # 1 s without a new event
                        break
                    await asyncio.sleep(0.1)
                    continue
                quiet_since = time.time()
                found.append(json.loads(message.body))
        return found

    return asyncio.run(drain())


class LockWatcher(threading.Thread):
    """Samples Redis for the replicas' conversation locks while the test runs."""

    def __init__(self, prefix: str) -> None:
        super().__init__(daemon=True)
        import redis

        self.red = redis.Redis(host="127.0.0.1", port=6379, db=1)
        self.prefix = prefix
        self.seen: set[str] = set()
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.seen.update(k.decode() for k in self.red.scan_iter(f"{self.prefix}:*"))
            time.sleep(0.05)


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory):
    missing = _services_missing()
    if missing:
        pytest.skip(missing)
    with ScaleStack(tmp_path_factory.mktemp("scale")) as running:
        yield running


def test_two_replicas_answer_every_message_once_and_in_order(scale: ScaleStack) -> None:
    t0 = time.time()
    watcher = LockWatcher(scale.lock_prefix)
    watcher.start()
    packs = {name: str(SCENARIOS[name].pack_id or SCENARIOS[name].order_id) for name, _, _ in SALES}
    written: dict[str, list[tuple[str, str, str]]] = {}  # pack -> [(message id, text, topic)]
    statuses: list[list[str]] = []

    def deliver(replica: str, body: bytes) -> httpx.Response:
        return httpx.post(scale.webhook_of(replica), content=body, timeout=15,
                          headers={"content-type": "application/json"})

    def converse(index: int, sale: str, lang: str, topics: list[str]) -> None:
        pack = packs[sale]
        written[pack] = []
        with httpx.Client(timeout=15) as http:
            for i, topic in enumerate(topics):
                text = TEXTS[lang][topic]
                created = http.post(f"{scale.sim}/_sim/buyer_messages", json={"pack_id": pack, "text": text})
                created.raise_for_status()
                message_id = created.json()["id"]
                written[pack].append((message_id, text, topic))
                first = REPLICAS[(index + i) % 2]
                other = REPLICAS[(index + i + 1) % 2]
                body = note(message_id)
                if i % 2:  # Mercado Libre redelivers: the same notification reaches both at once
                    with concurrent.futures.ThreadPoolExecutor(2) as pool:
                        answers = list(pool.map(lambda replica, body=body: deliver(replica, body), [first, other]))
                else:
                    answers = [deliver(first, body)]
                assert [a.status_code for a in answers] == [200] * len(answers), [a.text for a in answers]
                statuses.append(sorted(a.json()["status"] for a in answers))

    with concurrent.futures.ThreadPoolExecutor(len(SALES)) as pool:
        list(pool.map(lambda args: converse(*args), [(i, *sale) for i, sale in enumerate(SALES)]))
    posted = time.time()
    total = sum(len(v) for v in written.values())
    assert total == len(SALES) * 4
    assert all(s in (["accepted"], ["accepted", "duplicate"]) for s in statuses), statuses

    # all processed
    deadline = time.time() + 60
    while time.time() < deadline:
        rows = scale.query("select * from meli_notifications order by id")
        if len(rows) == total and all(r["status"] in ("done", "failed") for r in rows):
            break
        time.sleep(0.5)
    done_at = time.time()
    watcher.stop_event.set()
    rows = scale.query("select * from meli_notifications order by id")
    assert len(rows) == total, "a notification was stored twice or lost"
    assert [r["status"] for r in rows] == ["done"] * total, [(r["id"], r["status"], r["error"]) for r in rows]
    by_message = {r["resource"]: r for r in rows}
    replies = scale.query("select * from meli_replies order by id")
    problems: list[str] = []
    answers_by_pack: dict[str, list[str]] = {}
    for pack, messages in written.items():
        ids = [by_message[m]["id"] for m, _, _ in messages]
        outcomes = [by_message[m]["outcome"] for m, _, _ in messages]
        if outcomes != ["answered"] * 4:
            problems.append(f"{pack}: outcomes {outcomes}")
        mine = [r for r in replies if r["pack_id"] == pack]
        sequence = [r["notification_id"] for r in mine]
        # one group of replies per buyer message, in the buyer's order, none repeated
        groups = [n for j, n in enumerate(sequence) if j == 0 or sequence[j - 1] != n]
        if groups != ids:
            problems.append(f"{pack}: replies grouped by notification {groups}, buyer order {ids}")
        if any(r["status"] != "sent" for r in mine):
            problems.append(f"{pack}: reply statuses {[r['status'] for r in mine]}")
        thread = [m for m in scale.seller_messages(pack)]
        if [m["text"] for m in thread] != [r["text"] for r in mine]:
            problems.append(f"{pack}: thread {[m['text'] for m in thread]} != replies {[r['text'] for r in mine]}")
        answers_by_pack[pack] = [" | ".join(r["text"] for r in mine if r["notification_id"] == n) for n in ids]
        if len(set(answers_by_pack[pack])) != 4:
            problems.append(f"{pack}: answers not distinguishable {answers_by_pack[pack]}")
    assert not problems, "\n".join(problems) + "\n" + json.dumps(answers_by_pack, ensure_ascii=False, indent=1)

    # the tracker store (PostgreSQL) holds each conversation, its user turns once and in order
    events = scale.query("select sender_id, type_name, data from events where type_name = 'user' order by id")
    for pack, messages in written.items():
        texts = [json.loads(e["data"]).get("text") for e in events if e["sender_id"] == f"meli-{SELLER}-{pack}"]
        assert texts == [t for _, t, _ in messages], (pack, texts)

    # the handoff ticket of the late sale is in PostgreSQL too, once
    tickets = scale.query("select conversation_id, reason, status from handoff_tickets")
    late = f"meli-{SELLER}-{packs['late']}"
    assert [(t["reason"], t["status"]) for t in tickets if t["conversation_id"] == late] == [("late_delivery", "open")]

    # both replicas did work, on the same conversations, each row under one lease
    per_replica = {name: sum(r["locked_by"] == name for r in rows) for name in REPLICAS}
    assert all(per_replica.values()), per_replica
    split = [pack for pack, messages in written.items()
             if len({by_message[m]["locked_by"] for m, _, _ in messages}) > 1]
    assert split, "no conversation was shared by the two replicas"
    assert all(r["attempts"] == 1 for r in rows), [(r["id"], r["attempts"]) for r in rows]

    # Redis held the conversation locks; RabbitMQ received every event the replicas stored
    assert any(k.startswith(f"{scale.lock_prefix}:lock:meli-") for k in watcher.seen), watcher.seen
    broker = events_from_broker(scale.queue)
    tracker_events = scale.query("select count(*) as n from events")[0]["n"]
    user_events = [e for e in broker if e.get("event") == "user" and str(e.get("sender_id", "")).startswith("meli-")]
    assert len(user_events) == total, len(user_events)
    assert len(broker) == tracker_events, (len(broker), tracker_events)

    # figures
    logs = "".join((scale.tmp / f"{name}.log").read_text() for name in REPLICAS)
    released, waited = logs.count("waits for an older one"), logs.count("for its turn in conversation")
    first_reply: dict[int, float] = {}
    for r in replies:
        first_reply.setdefault(r["notification_id"], r["created_at"])
    latency = [first_reply[r["id"]] - r["received_at"] for r in rows]
    figures = {
        **scale.timings, "conversations": len(SALES), "buyer_messages": total,
        "deliveries": sum(len(s) for s in statuses), "post_s": round(posted - t0, 1),
        "all_answered_s": round(done_at - t0, 1), "replies": len(replies), "rows_per_replica": per_replica,
        "guard_waits_in_place": waited, "guard_releases": released,
        "reply_latency_p50_s": round(statistics.median(latency), 2),
        "reply_latency_max_s": round(max(latency), 2), "broker_events": len(broker),
        "redis_lock_keys_seen": len(watcher.seen), "tracker_events": tracker_events,
        "conversations_split_across_replicas": len(split),
    }
    out = ROOT / "results" / "scale_out.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures))
