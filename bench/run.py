"""The product's figures, side by side in one run on this machine, as one table.

    .venv/bin/python bench/run.py [--messages 60] [--conversations 6] [--burst 1000] [--train]
                                  [--no-curve] [--replicas]

Starts the real stack (simulator, action server, Rasa server; testkit/stack.py) and measures:
1. latency, one message at a time, of the same buyer question (it needs the order API)
   - through the bare REST channel with the order in the metadata (the anchor), and
   - through the Mercado Libre channel: notification posted to the webhook -> reply posted to
     the simulator (timed by the simulator's own request log);
   plus the time of the API calls only the channel makes (GET message, GET thread, POST reply);
2. sustained throughput with `--conversations` conversations in parallel, each sending its
   messages in order, for both paths; and, for the channel, lost and duplicated replies;
3. webhook ack latency under a burst of `--burst` notifications from 20 concurrent senders,
   during a duplicate storm, while the bot answers a burst, and right after a kill -9 and
   restart (with the start-up time to the first acknowledged notification);
4. the cost curve: throughput, p50/p95 latency and CPU per message at 1, 2, 4, 8 and 16
   conversations at once, both paths; with `--replicas` again on two replicas over
   PostgreSQL, Redis and RabbitMQ (testkit/scale.py);
5. training time of the full model (`--train` retrains into a temp dir; otherwise the time
   scripts/setup.sh recorded in models/bot.train_seconds), the model's load time, and the peak
   memory (VmHWM) of the Rasa server and the action server.
Targets (issues #7 and #14) are printed next to each figure."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from simulator import SCENARIOS
from testkit.poster import Poster
from testkit.scale import REPLICAS, ScaleStack, services_missing
from testkit.stack import MODEL, Stack

ROOT = Path(__file__).resolve().parents[1]

SELLER = 123456789
APP = 5551234
QUESTION = "qual foi a forma de pagamento que eu usei?"
# Targets of issue #14 (the marketplace itself waits 500 ms for an acknowledgement).
ACK_TARGET_MS = 50.0
START_TARGET_S = 20.0
TRAIN_TARGET_S = 180.0
MEMORY_TARGET_MB = 700.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# Brazilian sales whose payment question the bot answers itself (no claim, thread open).
BENCH_SCENARIOS = ["paid_not_shipped", "shipped", "delivered", "pending_payment", "not_delivered", "late"]


def conversations(count: int) -> list[dict[str, Any]]:
    """`pack`: the conversation (the pack, or the order of a sale without pack); `pack_id`: the
    pack for REST's metadata, only when the sale has one (an order id there is not a pack)."""
    return [{"pack": str(SCENARIOS[name].pack_id or SCENARIOS[name].order_id), "order": str(SCENARIOS[name].order_id),
             "pack_id": SCENARIOS[name].pack_id and str(SCENARIOS[name].pack_id)}
            for name in BENCH_SCENARIOS][:count]


class Bench:
    def __init__(self, stack: Stack, rasa_urls: list[str] | None = None, webhooks: list[str] | None = None) -> None:
        """`rasa_urls`/`webhooks`: the replicas' addresses (default: the stack's one server)."""
        self.stack = stack
        self.rasa_urls = rasa_urls or [stack.rasa]
        self.webhooks = webhooks or [stack.webhook]
        self.http = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=64))  # GETs only
        self.poster = Poster()

    # --- REST --------------------------------------------------------------------------------
    def rest(self, sender: str, conv: dict[str, Any], replica: int = 0) -> tuple[float, int]:
        started = time.perf_counter()
        metadata = {"order_id": conv["order"], "site_id": "MLB", "language": "pt"}
        if conv.get("pack_id"):
            metadata["pack_id"] = conv["pack_id"]
        status, answer = self.poster.post(f"{self.rasa_urls[replica % len(self.rasa_urls)]}/webhooks/rest/webhook",
                                          {"sender": sender, "message": QUESTION, "metadata": metadata})
        if status != 200:
            raise RuntimeError(f"REST channel answered {status}")
        if not answer or "não consegui" in " ".join(m.get("text", "") for m in answer):
            raise RuntimeError(f"REST anchor not answered by the bot: {answer}")
        return (time.perf_counter() - started) * 1000, len(answer)

    # --- Mercado Libre channel ----------------------------------------------------------------
    def buyer_message(self, pack: str) -> dict[str, Any]:
        """A buyer message stored in the simulator; its notification is ours to deliver."""
        status, data = self.poster.post(f"{self.stack.sim}/_sim/buyer_messages", {"pack_id": pack, "text": QUESTION})
        if status != 201:
            raise RuntimeError(f"simulator refused the buyer message: {status} {data}")
        return data.get("notification") or {
            "_id": str(uuid.uuid4()), "resource": data["id"], "user_id": SELLER, "topic": "messages",
            "actions": ["created"], "application_id": APP, "attempts": 1}

    def deliver(self, notification: dict[str, Any], replica: int = 0) -> float:
        started = time.time()
        status, answer = self.poster.post(self.webhooks[replica % len(self.webhooks)], notification)
        if status != 200:
            raise RuntimeError(f"webhook refused a notification: {status} {answer}")
        return started

    def replies(self, pack: str) -> list[dict[str, Any]]:
        log = self.http.get(f"{self.stack.sim}/_sim/requests",
                            params={"path": f"^/messages/packs/{pack}/sellers/"}).json()
        return [e for e in log if e["method"] == "POST" and e["status"] in (200, 201)]

    def wait_replies(self, pack: str, count: int, seconds: float = 120) -> list[dict[str, Any]]:
        """Long-polls the simulator (`/_sim/requests/wait`) until `count` replies are posted."""
        answer = self.http.get(f"{self.stack.sim}/_sim/requests/wait", timeout=seconds + 5, params={
            "path": f"^/messages/packs/{pack}/sellers/", "method": "POST", "count": count, "timeout": seconds})
        if answer.status_code != 200:
            raise RuntimeError(f"pack {pack}: {len(self.replies(pack))} replies, expected {count}")
        return self.replies(pack)

    def answer_size(self, pack: str) -> int:
        """How many messages the bot posts for QUESTION in this conversation (it depends on the
        sale: installments, refunds...): one delivery, then wait until the thread is quiet."""
        before = len(self.replies(pack))
        self.deliver(self.buyer_message(pack))
        self.wait_replies(pack, before + 1)
        count, quiet_since = len(self.replies(pack)), time.time()
        while time.time() - quiet_since < 1.5:
            time.sleep(0.1)
            now = len(self.replies(pack))
            if now != count:
                count, quiet_since = now, time.time()
        return count - before

    def channel(self, pack: str, per_answer: int, replica: int = 0) -> float:
        before = len(self.replies(pack))
        started = self.deliver(self.buyer_message(pack), replica)
        posted = self.wait_replies(pack, before + per_answer)
        return (posted[before + per_answer - 1]["epoch"] - started) * 1000

    def api_calls(self, pack: str) -> float:
        """What only the channel pays: GET the message, GET the thread state, POST each reply."""
        message_id = self.buyer_message(pack)["resource"]
        headers = {"Authorization": f"Bearer {self.stack.env['MELI_ACCESS_TOKEN']}"}
        times = []
        for _ in range(15):
            started = time.perf_counter()
            self.http.get(f"{self.stack.sim}/messages/{message_id}", params={"tag": "post_sale"}, headers=headers)
            self.http.get(f"{self.stack.sim}/messages/packs/{pack}/sellers/{SELLER}",
                          params={"tag": "post_sale", "limit": 1, "mark_as_read": "false"}, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        post = []
        for _ in range(5):
            started = time.perf_counter()
            self.poster.post(f"{self.stack.sim}/messages/packs/{pack}/sellers/{SELLER}?tag=post_sale",
                             {"from": {"user_id": SELLER}, "to": {"user_id": 1}, "text": "bench"}, headers)
            post.append((time.perf_counter() - started) * 1000)
        return statistics.median(times) + statistics.median(post)

    # --- throughput ----------------------------------------------------------------------------
    def rest_throughput(self, convs: list[dict[str, Any]], per_conv: int) -> float:
        def one(conv: dict[str, Any]) -> None:
            # The same conversations as the latency run, so both paths carry histories of the
            # same length (Rasa loads, featurizes and ships the whole tracker on every turn).
            sender = f"bench-{conv['pack']}"
            for _ in range(per_conv):
                self.rest(sender, conv)

        started = time.perf_counter()
        with ThreadPoolExecutor(len(convs)) as pool:
            list(pool.map(one, convs))
        return len(convs) * per_conv / (time.perf_counter() - started)

    def clear_log(self) -> None:
        """The simulator's request log is how the bench sees replies: keep it short to read."""
        self.http.delete(f"{self.stack.sim}/_sim/requests").raise_for_status()

    def channel_throughput(self, convs: list[dict[str, Any]], per_conv: int,
                           sizes: dict[str, int]) -> tuple[float, int, int]:
        """Each conversation's buyer sends its next message when the previous one is answered,
        like the REST senders; all conversations at once. Replies are awaited by long-polling:
        six threads reading the log every 20 ms first cost the simulator (and so the bot) a core."""
        self.clear_log()
        before = {c["pack"]: len(self.replies(c["pack"])) for c in convs}
        errors: list[str] = []

        def one(conv: dict[str, Any]) -> None:
            try:
                for i in range(per_conv):
                    self.deliver(self.buyer_message(conv["pack"]))
                    self.wait_replies(conv["pack"], before[conv["pack"]] + (i + 1) * sizes[conv["pack"]])
            except Exception as exc:  # noqa: BLE001 - counted as lost below
                errors.append(str(exc))

        started = time.perf_counter()
        with ThreadPoolExecutor(len(convs)) as pool:
            list(pool.map(one, convs))
        elapsed = time.perf_counter() - started
        time.sleep(1.5)  # a duplicate would show up after the last expected reply
        got = {c["pack"]: len(self.replies(c["pack"])) - before[c["pack"]] for c in convs}
        lost = sum(max(0, per_conv * sizes[p] - n) // sizes[p] for p, n in got.items())
        duplicated = sum(max(0, n - per_conv * sizes[p]) // sizes[p] for p, n in got.items())
        return len(convs) * per_conv / elapsed, lost, duplicated

    def ack_burst(self, count: int, concurrency: int = 20,
                  notes: list[dict[str, Any]] | None = None) -> tuple[list[float], int]:
        """Ack latency of `count` notifications (or of `notes`) from `concurrency` senders. The
        default notifications name messages that do not exist: stored, fetched, dropped."""
        failures = 0
        lock = threading.Lock()
        bodies = notes or [fake_notification() for _ in range(count)]

        def one(body: dict[str, Any]) -> float:
            nonlocal failures
            started = time.perf_counter()
            try:
                status, _ = self.poster.post(self.stack.webhook, body)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                with lock:
                    failures += 1
            return elapsed

        with ThreadPoolExecutor(concurrency) as pool:
            latencies = list(pool.map(one, bodies))
        return latencies, failures

    def ack_duplicate_storm(self, convs: list[dict[str, Any]], sizes: dict[str, int],
                            copies: int = 5) -> tuple[list[float], int]:
        """Three real buyer messages per conversation, each delivered `copies` times at once (the
        marketplace redelivers what it thinks was lost), while the bot answers them."""
        before = {c["pack"]: len(self.replies(c["pack"])) for c in convs}
        notes = [self.buyer_message(c["pack"]) for c in convs for _ in range(3)]
        deliveries = [n for n in notes for _ in range(copies)]
        random.Random(7).shuffle(deliveries)
        acks = self.ack_burst(0, 25, deliveries)
        for conv in convs:
            self.wait_replies(conv["pack"], before[conv["pack"]] + 3 * sizes[conv["pack"]])
        return acks

    def ack_while_processing(self, convs: list[dict[str, Any]], sizes: dict[str, int],
                             per_conv: int = 5, extra: int = 300) -> tuple[list[float], int]:
        """Real buyer messages (`per_conv` per conversation) and `extra` other notifications, all
        delivered at once: the later ones are acknowledged while the worker answers the first."""
        before = {c["pack"]: len(self.replies(c["pack"])) for c in convs}
        notes = [self.buyer_message(c["pack"]) for _ in range(per_conv) for c in convs]
        notes += [fake_notification() for _ in range(extra)]
        acks = self.ack_burst(0, 10, notes)
        for conv in convs:
            self.wait_replies(conv["pack"], before[conv["pack"]] + per_conv * sizes[conv["pack"]])
        return acks

    def restart(self, count: int = 200) -> tuple[float, list[float], int]:
        """kill -9 the Rasa server and start it again: seconds from the start to the first
        acknowledged notification, then the ack latency of `count` notifications right after."""
        self.stack.kill_rasa()
        self.poster = Poster()  # the old connections died with the server
        started = time.perf_counter()
        self.stack.spawn_rasa()
        while True:
            try:
                status, _ = self.poster.post(self.stack.webhook, fake_notification())
                if status == 200:
                    break
            except OSError:
                self.poster = Poster()
            if time.perf_counter() - started > 180:
                raise RuntimeError("the Rasa server did not acknowledge a notification within 180 s")
            time.sleep(0.05)
        up = time.perf_counter() - started
        acks, failures = self.ack_burst(count)
        return up, acks, failures


CURVE_LEVELS = (1, 2, 4, 8, 16)


def curve(bench: Bench, pids: dict[str, int], sales: list[dict[str, Any]], size: int,
          levels: tuple[int, ...] = CURVE_LEVELS) -> list[dict[str, Any]]:
    """Throughput, p95 latency and CPU per message at each number of concurrent conversations,
    for both paths: what an operator sizes a deployment with. Each conversation sends its next
    message when the last is answered; about 24 messages per level and path."""
    rows = []
    for level in levels:
        convs = sales[:level]
        per_conv = max(3, 24 // level)
        for path in ("rest", "channel"):
            latencies: list[float] = []
            lock = threading.Lock()

            def one(index: int, path: str = path, per_conv: int = per_conv, convs: list[dict[str, Any]] = convs,
                    latencies: list[float] = latencies, lock: threading.Lock = lock) -> None:
                conv = convs[index]
                for i in range(per_conv):  # with replicas, each message to the next one
                    if path == "rest":
                        ms = bench.rest(f"curve-{conv['pack']}", conv, replica=index + i)[0]
                    else:
                        ms = bench.channel(conv["pack"], size, replica=index + i)
                    with lock:
                        latencies.append(ms)

            cpu0 = cpu_seconds(pids)
            started = time.perf_counter()
            with ThreadPoolExecutor(level) as pool:
                list(pool.map(one, range(level)))
            elapsed = time.perf_counter() - started
            cpu1 = cpu_seconds(pids)
            count = level * per_conv
            rows.append({"path": path, "conversations": level, "messages": count,
                         "msg_per_s": round(count / elapsed, 2), "p50_ms": round(pct(latencies, 50)),
                         "p95_ms": round(pct(latencies, 95)),
                         "cpu_ms_per_msg": {k: round(1000 * (cpu1[k] - cpu0[k]) / count) for k in cpu0}})
    return rows


def clone_sales(bench: Bench) -> tuple[list[dict[str, Any]], int]:
    """Enough sales for the curve's largest level, each with one turn behind it; their answer size."""
    clones = bench.stack.sim_post("/_sim/sales/clone", {"scenario": "shipped", "count": max(CURVE_LEVELS)})["sales"]
    sales = [{"pack": str(c["conversation_id"]), "order": str(c["order_id"]),
              "pack_id": c["pack_id"] and str(c["pack_id"])} for c in clones]
    for sale in sales:  # the same history length on both paths
        bench.rest(f"curve-{sale['pack']}", sale)
    return sales, bench.answer_size(sales[0]["pack"])


def replicas_curve() -> tuple[list[dict[str, Any]], str]:
    """The cost curve again with two Rasa replicas (testkit/scale.py), each message of a
    conversation to the next replica, as a load balancer without stickiness would send them."""
    missing = services_missing()
    if missing:
        return [], f"skipped: {missing}"
    with tempfile.TemporaryDirectory() as tmp, ScaleStack(Path(tmp)) as scale:
        bench = Bench(scale, rasa_urls=[scale.urls[r] for r in REPLICAS],
                      webhooks=[scale.webhook_of(r) for r in REPLICAS])
        sales, size = clone_sales(bench)
        pids = {r: scale.procs[r].pid for r in (*REPLICAS, "actions", "simulator")}
        rows = curve(bench, pids, sales, size)
        memory = ", ".join(f"{r} {peak_memory_mb(scale.procs[r].pid):.0f} MB" for r in REPLICAS)
    return rows, f"(peak memory {memory})"


def fake_notification() -> dict[str, Any]:
    return {"_id": str(uuid.uuid4()), "resource": uuid.uuid4().hex, "user_id": SELLER, "topic": "messages",
            "actions": ["created"], "application_id": APP, "attempts": 1}


def model_load_seconds() -> float:
    """Loading models/bot.tar.gz into a Rasa agent, in a fresh process (imports not counted)."""
    code = ("import time; from rasa.core.agent import Agent; t = time.perf_counter(); "
            f"Agent.load({str(MODEL)!r}); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    return float(out.stdout.strip().splitlines()[-1])


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """user+system CPU seconds so far of each process (/proc/<pid>/stat), to see who paid."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for name, pid in pids.items():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        out[name] = (int(fields[11]) + int(fields[12])) / tick
    return out


def cpu_per_message(before: dict[str, float], after: dict[str, float], messages: int) -> str:
    return ", ".join(f"{name} {1000 * (after[name] - before[name]) / messages:.0f}" for name in before)


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def training_seconds(retrain: bool) -> tuple[float, str]:
    if retrain:
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            subprocess.run([str(ROOT / ".venv" / "bin" / "rasa"), "train", "--force", "--out", out],
                           cwd=ROOT, check=True, capture_output=True)
            return time.perf_counter() - started, "measured now"
    recorded = MODEL.with_name("bot.train_seconds")
    if recorded.exists():
        return float(recorded.read_text().strip()), "recorded by scripts/setup.sh"
    return float("nan"), "not recorded: run with --train"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=60, help="messages per latency run")
    parser.add_argument("--conversations", type=int, default=len(BENCH_SCENARIOS),
                        help="parallel conversations for throughput")
    parser.add_argument("--per-conversation", type=int, default=6)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--train", action="store_true", help="retrain the full model to time it (~6 min)")
    parser.add_argument("--no-curve", action="store_true", help="skip the cost curve (1-16 conversations)")
    parser.add_argument("--replicas", action="store_true",
                        help="also the cost curve of two replicas on PostgreSQL, Redis and RabbitMQ")
    parser.add_argument("--out", default=str(ROOT / "results" / "bench.json"))
    args = parser.parse_args()
    convs = conversations(max(args.conversations, 2))
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp))
        stack.start()
        try:
            stack.sim_post("/_sim/config", {"callback_url": None})  # the bench delivers notifications
            for conv in convs:
                stack.sim_post(f"/_sim/conversations/{conv['pack']}/status", {"status": "active", "substatus": None})
            bench = Bench(stack)
            for conv in convs:  # warm both paths: first turns load trackers and caches
                bench.rest(f"bench-{conv['pack']}", conv)
            sizes = {conv["pack"]: bench.answer_size(conv["pack"]) for conv in convs}
            bench.clear_log()
            rest = [bench.rest(f"bench-{convs[i % len(convs)]['pack']}", convs[i % len(convs)])[0]
                    for i in range(args.messages)]
            channel = [bench.channel(convs[i % len(convs)]["pack"], sizes[convs[i % len(convs)]["pack"]])
                       for i in range(args.messages)]
            api_ms = bench.api_calls(convs[-1]["pack"])
            pids = {name: stack.procs[name].pid for name in ("rasa", "actions", "simulator")} | {"bench": os.getpid()}
            total = len(convs) * args.per_conversation
            cpu0 = cpu_seconds(pids)
            rest_tp = bench.rest_throughput(convs, args.per_conversation)
            cpu1 = cpu_seconds(pids)
            channel_tp, lost, duplicated = bench.channel_throughput(convs, args.per_conversation, sizes)
            cpu2 = cpu_seconds(pids)
            rest_cpu, channel_cpu = cpu_per_message(cpu0, cpu1, total), cpu_per_message(cpu1, cpu2, total)
            cost_curve = [] if args.no_curve else curve(bench, pids, *clone_sales(bench))
            acks, ack_failures = bench.ack_burst(args.burst)
            storm = bench.ack_duplicate_storm(convs, sizes)
            busy = bench.ack_while_processing(convs, sizes)
            memory = {name: peak_memory_mb(stack.procs[name].pid) for name in ("rasa", "actions")}
            up_s, after_start, after_failures = bench.restart()
        finally:
            stack.stop()
    replica_curve, replica_note = (replicas_curve() if args.replicas else ([], "not run (--replicas)"))
    train_s, train_note = training_seconds(args.train)
    load_s = model_load_seconds()

    def ack_row(name: str, latencies: list[float], failures: int) -> tuple[str, str, str]:
        p99 = pct(latencies, 99)
        return (name, f"p50 {pct(latencies, 50):.1f} ms  p99 {p99:.1f}  max {max(latencies):.1f}  non-200 {failures}",
                f"p99 <= {ACK_TARGET_MS:.0f} ms: " + ("met" if p99 <= ACK_TARGET_MS and not failures else "MISSED"))

    rest_p50, channel_p50 = pct(rest, 50), pct(channel, 50)
    budget = 1.3 * rest_p50 + api_ms
    rows = [
        ("latency, bare REST (anchor)", f"p50 {rest_p50:.0f} ms  p95 {pct(rest, 95):.0f}  p99 {pct(rest, 99):.0f}", ""),
        ("latency, Mercado Libre channel", f"p50 {channel_p50:.0f} ms  p95 {pct(channel, 95):.0f}  "
         f"p99 {pct(channel, 99):.0f}", f"p50 <= 1.3 x REST + API {budget:.0f} ms: "
         + ("met" if channel_p50 <= budget else "MISSED")),
        ("  ratio channel/REST p50", f"{channel_p50 / rest_p50:.2f}x (channel-only API calls {api_ms:.0f} ms)", ""),
        ("throughput, bare REST", f"{rest_tp:.1f} msg/s ({len(convs)} conversations)", ""),
        ("  CPU ms per message, REST", rest_cpu, ""),
        ("throughput, channel", f"{channel_tp:.1f} msg/s = {channel_tp / rest_tp:.2f}x REST; lost {lost}, "
         f"duplicated {duplicated}", ">= 0.8x, 0 lost, 0 dup: "
         + ("met" if channel_tp >= 0.8 * rest_tp and not lost and not duplicated else "MISSED")),
        ("  CPU ms per message, channel", channel_cpu, ""),
        ack_row(f"webhook ack, burst of {len(acks)}", acks, ack_failures),
        ack_row(f"  during a duplicate storm ({len(storm[0])})", *storm),
        ack_row(f"  while answering a burst ({len(busy[0])})", *busy),
        ack_row(f"  right after a restart ({len(after_start)})", after_start, after_failures),
        ("start-up (kill -9, start)", f"{up_s:.1f} s to the first acknowledged notification",
         f"<= {START_TARGET_S:.0f} s: " + ("met" if up_s <= START_TARGET_S else "MISSED")),
        ("model load", f"{load_s:.2f} s (models/bot.tar.gz into a Rasa agent)", ""),
        ("full training", f"{train_s:.0f} s ({train_note})", f"<= {TRAIN_TARGET_S:.0f} s: "
         + ("met" if train_s <= TRAIN_TARGET_S else "MISSED")),
        ("peak memory", f"Rasa server {memory['rasa']:.0f} MB, action server {memory['actions']:.0f} MB",
         f"Rasa <= {MEMORY_TARGET_MB:.0f} MB: " + ("met" if memory["rasa"] <= MEMORY_TARGET_MB else "MISSED")),
    ]
    width = max(len(r[0]) for r in rows) + 2
    print(f"\nbench/run.py {time.strftime('%Y-%m-%d')} on {os.uname().nodename}, "
          f"{Path('/proc/cpuinfo').read_text().count('processor')} cores, "
          f"{args.messages} messages per latency run, question: {QUESTION!r}")
    for name, figure, target in rows:
        print(f"{name:<{width}}{figure:<62}{target}")
    for title, rows_ in (("one Rasa server, SQLite", cost_curve),
                         (f"two Rasa replicas, PostgreSQL + Redis + RabbitMQ {replica_note}", replica_curve)):
        if not rows_:
            continue
        print(f"\ncost curve, {title}: conversations at once -> throughput, latency, CPU ms per message")
        for row in rows_:
            cpu = ", ".join(f"{k} {v}" for k, v in row["cpu_ms_per_msg"].items() if k != "bench")
            print(f"  {row['path']:<8}{row['conversations']:>3} conv  {row['msg_per_s']:6.1f} msg/s  "
                  f"p50 {row['p50_ms']:5d} ms  p95 {row['p95_ms']:5d} ms  CPU {cpu}")
    result.update(rest_ms=rest, channel_ms=channel, api_ms=api_ms, rest_tp=rest_tp, channel_tp=channel_tp,
                  lost=lost, duplicated=duplicated, ack_ms=acks, ack_failures=ack_failures, train_s=train_s,
                  memory_mb=memory, ack_storm_ms=storm[0], ack_busy_ms=busy[0], ack_after_start_ms=after_start,
                  startup_s=up_s, model_load_s=load_s, curve=cost_curve, replica_curve=replica_curve)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
