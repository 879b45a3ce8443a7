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
import statistics
import threading
import time
from typing import Any

import httpx
import pytest

from simulator import SCENARIOS
from testkit.scale import REPLICAS, ScaleStack, services_missing
from testkit.stack import ROOT

pytestmark = pytest.mark.slow
SELLER = 123456789
APP = 5551234

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
    missing = services_missing()
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


def test_two_stores_on_two_replicas(scale: ScaleStack) -> None:
    """A second store connected through one replica is served by both: each store's buyers are
    answered once, in their own store's thread, and its tickets stay its own."""
    from testkit.stores import connect_store

    a, b = REPLICAS
    seller = httpx.post(f"{scale.sim}/_sim/sellers", json={"count": 1, "sales": 2}, timeout=10).json()["sellers"][0]
    page = connect_store(scale.urls[b], "token-root", seller["id"])
    assert page.status_code == 200, page.text
    packs = {seller["id"]: [s["pack_id"] or s["order_id"] for s in seller["sales"]],
             SELLER: [SCENARIOS["shipped"].pack_id or SCENARIOS["shipped"].order_id]}
    sent: list[tuple[int, int]] = []
    for n, (store, pack) in enumerate([(s, p) for s, ps in packs.items() for p in ps]):
        created = httpx.post(f"{scale.sim}/_sim/buyer_messages", json={"pack_id": pack, "text": TEXTS["pt"]["payment"]},
                             timeout=10).json()
        body = json.loads(note(created["id"]))
        answer = httpx.post(scale.webhook_of((a, b)[n % 2]), content=json.dumps({**body, "user_id": store}).encode(),
                            headers={"content-type": "application/json"}, timeout=15)
        assert answer.json()["status"] == "accepted", answer.text
        sent.append((store, pack))
    deadline = time.time() + 60

    def answered(store: int, pack: int) -> bool:
        return any("pagamento" in m["text"].lower() for m in scale.seller_messages(pack, store))

    while time.time() < deadline and not all(answered(s, p) for s, p in sent):
        time.sleep(0.5)
    for store, pack in sent:
        assert answered(store, pack), (store, pack, [m["text"] for m in scale.seller_messages(pack, store)])
    owners = {r["seller_id"] for r in scale.query("select seller_id from meli_replies")}
    assert {SELLER, seller["id"]} <= owners
    stores_row = scale.query(f"select status from stores where seller_id = {int(seller['id'])}")
    assert stores_row == [{"status": "connected"}]
