"""The product's figures, side by side in one run on this machine, as one table.

    .venv/bin/python bench/run.py [--messages 60] [--conversations 10] [--burst 1000] [--train]

Starts the real stack (simulator, action server, Rasa server; testkit/stack.py) and measures:
1. latency, one message at a time, of the same buyer question (it needs the order API)
   - through the bare REST channel with the order in the metadata (the anchor), and
   - through the Mercado Libre channel: notification posted to the webhook -> reply posted to
     the simulator (timed by the simulator's own request log);
   plus the time of the API calls only the channel makes (GET message, GET thread, POST reply);
2. sustained throughput with `--conversations` conversations in parallel, each sending its
   messages in order, for both paths; and, for the channel, lost and duplicated replies;
3. webhook ack latency under a burst of `--burst` notifications from 20 concurrent senders;
4. training time of the full model (`--train` retrains into a temp dir; otherwise the time
   scripts/setup.sh recorded in models/bot.train_seconds), and the peak memory (VmHWM) of the
   Rasa server and the action server.
Targets (issue #7) are printed next to each figure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
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
from urllib.parse import urlsplit

import httpx

from simulator import SCENARIOS
from testkit.stack import MODEL, Stack

ROOT = Path(__file__).resolve().parents[1]

SELLER = 123456789
APP = 5551234
QUESTION = "qual foi a forma de pagamento que eu usei?"
ACK_TARGET_MS = 50.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# Brazilian sales whose payment question the bot answers itself (no claim, thread open).
BENCH_SCENARIOS = ["paid_not_shipped", "shipped", "delivered", "pending_payment", "not_delivered", "late"]


def conversations(count: int) -> list[dict[str, Any]]:
    return [{"pack": str(SCENARIOS[name].pack_id or SCENARIOS[name].order_id), "order": str(SCENARIOS[name].order_id)}
            for name in BENCH_SCENARIOS][:count]


class Poster:
    """JSON POSTs as a real sender makes them: one write per request, TCP_NODELAY, keep-alive.

    httpx 0.23's sync client writes headers and body separately without TCP_NODELAY, so every
    POST waits for the server's delayed ACK (~40 ms on Linux): that was most of the "ack
    latency" this bench first reported, while curl got the same 200 in 1 ms. The bot itself
    posts through httpx's async client, whose sockets (anyio) set TCP_NODELAY.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def post(self, url: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        parts = urlsplit(url)
        data = json.dumps(body).encode()
        for attempt in (1, 2):
            conn = self._connection(parts.hostname or "127.0.0.1", parts.port or 80)
            try:
                conn.request("POST", parts.path + (f"?{parts.query}" if parts.query else ""), body=data,
                              headers={"content-type": "application/json", **(headers or {})})
                answer = conn.getresponse()
                raw = answer.read()
                return answer.status, json.loads(raw) if raw else None
            except (ConnectionError, http.client.HTTPException):
                self._local.pool.pop((parts.hostname or "127.0.0.1", parts.port or 80), None)  # reconnect once
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _connection(self, host: str, port: int) -> http.client.HTTPConnection:
        pool = self._local.__dict__.setdefault("pool", {})
        conn = pool.get((host, port))
        if conn is None:
            conn = http.client.HTTPConnection(host, port, timeout=60)
            conn.connect()
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pool[(host, port)] = conn
        return conn


class Bench:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.http = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=64))  # GETs only
        self.poster = Poster()

    # --- REST --------------------------------------------------------------------------------
    def rest(self, sender: str, conv: dict[str, Any]) -> tuple[float, int]:
        started = time.perf_counter()
        status, answer = self.poster.post(f"{self.stack.rasa}/webhooks/rest/webhook", {
            "sender": sender, "message": QUESTION,
            "metadata": {"order_id": conv["order"], "pack_id": conv["pack"], "site_id": "MLB", "language": "pt"}})
        if status != 200:
            raise RuntimeError(f"REST channel answered {status}")
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

    def deliver(self, notification: dict[str, Any]) -> float:
        started = time.time()
        status, answer = self.poster.post(self.stack.webhook, notification)
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

    def channel(self, pack: str, per_answer: int) -> float:
        before = len(self.replies(pack))
        started = self.deliver(self.buyer_message(pack))
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

    def ack_burst(self, count: int, concurrency: int = 20) -> tuple[list[float], int]:
        failures = 0
        lock = threading.Lock()

        def one(_: int) -> float:
            nonlocal failures
            body = {"_id": str(uuid.uuid4()), "resource": uuid.uuid4().hex, "user_id": SELLER, "topic": "messages",
                    "actions": ["created"], "application_id": APP, "attempts": 1}
            started = time.perf_counter()
            status, _ = self.poster.post(self.stack.webhook, body)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                with lock:
                    failures += 1
            return elapsed

        with ThreadPoolExecutor(concurrency) as pool:
            latencies = list(pool.map(one, range(count)))
        return latencies, failures


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
            acks, ack_failures = bench.ack_burst(args.burst)
            memory = {name: peak_memory_mb(stack.procs[name].pid) for name in ("rasa", "actions")}
        finally:
            stack.stop()
    train_s, train_note = training_seconds(args.train)

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
        (f"webhook ack, burst of {len(acks)}", f"p50 {pct(acks, 50):.1f} ms  p99 {pct(acks, 99):.1f}  "
         f"max {max(acks):.1f}  non-200 {ack_failures}", f"p99 <= {ACK_TARGET_MS:.0f} ms: "
         + ("met" if pct(acks, 99) <= ACK_TARGET_MS and not ack_failures else "MISSED")
         + " (marketplace limit 500 ms)"),
        ("full training", f"{train_s:.0f} s ({train_note})", ""),
        ("peak memory", f"Rasa server {memory['rasa']:.0f} MB, action server {memory['actions']:.0f} MB", ""),
    ]
    width = max(len(r[0]) for r in rows) + 2
    print(f"\nbench/run.py on {Path('/proc/cpuinfo').read_text().count('processor')} cores, "
          f"{args.messages} messages per latency run, question: {QUESTION!r}")
    for name, figure, target in rows:
        print(f"{name:<{width}}{figure:<62}{target}")
    result.update(rest_ms=rest, channel_ms=channel, api_ms=api_ms, rest_tp=rest_tp, channel_tp=channel_tp,
                  lost=lost, duplicated=duplicated, ack_ms=acks, ack_failures=ack_failures, train_s=train_s,
                  memory_mb=memory)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
