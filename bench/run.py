"""The product's figures, side by side in one run on this machine, as one table.

    .venv/bin/python bench/run.py [--messages 60] [--conversations 10] [--burst 1000] [--train]

Starts the real stack (simulator, action server, Rasa server; tests/stack.py) and measures:
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
import json
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from simulator import SCENARIOS  # noqa: E402
from tests.stack import MODEL, Stack  # noqa: E402

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


class Bench:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.http = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=64))

    # --- REST --------------------------------------------------------------------------------
    def rest(self, sender: str, conv: dict[str, Any]) -> tuple[float, int]:
        started = time.perf_counter()
        answer = self.http.post(f"{self.stack.rasa}/webhooks/rest/webhook", json={
            "sender": sender, "message": QUESTION,
            "metadata": {"order_id": conv["order"], "pack_id": conv["pack"], "site_id": "MLB", "language": "pt"}})
        answer.raise_for_status()
        return (time.perf_counter() - started) * 1000, len(answer.json())

    # --- Mercado Libre channel ----------------------------------------------------------------
    def buyer_message(self, pack: str) -> dict[str, Any]:
        """A buyer message stored in the simulator; its notification is ours to deliver."""
        body = self.http.post(f"{self.stack.sim}/_sim/buyer_messages", json={"pack_id": pack, "text": QUESTION})
        body.raise_for_status()
        data = body.json()
        return data.get("notification") or {
            "_id": str(uuid.uuid4()), "resource": data["id"], "user_id": SELLER, "topic": "messages",
            "actions": ["created"], "application_id": APP, "attempts": 1}

    def deliver(self, notification: dict[str, Any]) -> float:
        started = time.time()
        answer = self.http.post(self.stack.webhook, json=notification)
        if answer.status_code != 200:
            raise RuntimeError(f"webhook refused a notification: {answer.status_code} {answer.text}")
        return started

    def replies(self, pack: str) -> list[dict[str, Any]]:
        log = self.http.get(f"{self.stack.sim}/_sim/requests",
                            params={"path": f"^/messages/packs/{pack}/sellers/"}).json()
        return [e for e in log if e["method"] == "POST" and e["status"] in (200, 201)]

    def wait_replies(self, pack: str, count: int, seconds: float = 120) -> list[dict[str, Any]]:
        deadline = time.time() + seconds
        while time.time() < deadline:
            found = self.replies(pack)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise RuntimeError(f"pack {pack}: {len(self.replies(pack))} replies, expected {count}")

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
            self.http.post(f"{self.stack.sim}/messages/packs/{pack}/sellers/{SELLER}", params={"tag": "post_sale"},
                           headers=headers, json={"from": {"user_id": SELLER}, "to": {"user_id": 1},
                                                  "text": "bench"})
            post.append((time.perf_counter() - started) * 1000)
        return statistics.median(times) + statistics.median(post)

    # --- throughput ----------------------------------------------------------------------------
    def rest_throughput(self, convs: list[dict[str, Any]], per_conv: int) -> float:
        def one(conv: dict[str, Any]) -> None:
            sender = f"bench-tp-{conv['pack']}-{uuid.uuid4().hex[:6]}"
            for _ in range(per_conv):
                self.rest(sender, conv)

        started = time.perf_counter()
        with ThreadPoolExecutor(len(convs)) as pool:
            list(pool.map(one, convs))
        return len(convs) * per_conv / (time.perf_counter() - started)

    def channel_throughput(self, convs: list[dict[str, Any]], per_conv: int,
                           per_answer: int) -> tuple[float, int, int]:
        """Each conversation's buyer sends its next message when the previous one is answered,
        like the REST senders; all conversations at once."""
        before = {c["pack"]: len(self.replies(c["pack"])) for c in convs}
        errors: list[str] = []

        def one(conv: dict[str, Any]) -> None:
            try:
                for i in range(per_conv):
                    self.deliver(self.buyer_message(conv["pack"]))
                    self.wait_replies(conv["pack"], before[conv["pack"]] + (i + 1) * per_answer)
            except Exception as exc:  # noqa: BLE001 - counted as lost below
                errors.append(str(exc))

        started = time.perf_counter()
        with ThreadPoolExecutor(len(convs)) as pool:
            list(pool.map(one, convs))
        elapsed = time.perf_counter() - started
        time.sleep(1.5)  # a duplicate would show up after the last expected reply
        expected = per_conv * per_answer
        got = {c["pack"]: len(self.replies(c["pack"])) - before[c["pack"]] for c in convs}
        lost = sum(max(0, expected - n) for n in got.values()) // per_answer
        duplicated = sum(max(0, n - expected) for n in got.values()) // per_answer
        return len(convs) * per_conv / elapsed, lost, duplicated

    def ack_burst(self, count: int, concurrency: int = 20) -> tuple[list[float], int]:
        failures = 0
        lock = threading.Lock()

        def one(_: int) -> float:
            nonlocal failures
            body = {"_id": str(uuid.uuid4()), "resource": uuid.uuid4().hex, "user_id": SELLER, "topic": "messages",
                    "actions": ["created"], "application_id": APP, "attempts": 1}
            started = time.perf_counter()
            answer = self.http.post(self.stack.webhook, json=body)
            elapsed = (time.perf_counter() - started) * 1000
            if answer.status_code != 200:
                with lock:
                    failures += 1
            return elapsed

        with ThreadPoolExecutor(concurrency) as pool:
            latencies = list(pool.map(one, range(count)))
        return latencies, failures


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
            _, per_answer = bench.rest("bench-warm", convs[0])
            for conv in convs:  # warm both paths: first turns load trackers and caches
                bench.channel(conv["pack"], per_answer)
            rest = [bench.rest(f"bench-{i % len(convs)}", convs[i % len(convs)])[0] for i in range(args.messages)]
            channel = [bench.channel(convs[i % len(convs)]["pack"], per_answer) for i in range(args.messages)]
            api_ms = bench.api_calls(convs[-1]["pack"])
            rest_tp = bench.rest_throughput(convs, args.per_conversation)
            channel_tp, lost, duplicated = bench.channel_throughput(convs, args.per_conversation, per_answer)
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
        ("throughput, channel", f"{channel_tp:.1f} msg/s = {channel_tp / rest_tp:.2f}x REST; lost {lost}, "
         f"duplicated {duplicated}", ">= 0.8x, 0 lost, 0 dup: "
         + ("met" if channel_tp >= 0.8 * rest_tp and not lost and not duplicated else "MISSED")),
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
