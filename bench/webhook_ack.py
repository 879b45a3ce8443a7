"""Mercado Libre channel figures: webhook ack latency and message→reply time.

Starts the real stack (simulator, action server, Rasa server) like the end-to-end tests, then
1. posts N notifications (default 1000, 20 concurrent) to the webhook and reports the ack
   latency as seen by the sender (p50/p95/p99/max; Mercado Libre's limit is 500 ms);
2. has the simulator deliver M real buyer messages (default 20) and reports the time from the
   buyer's message to the bot's reply appearing in the thread.

Usage: .venv/bin/python bench/webhook_ack.py [--notifications 1000] [--concurrency 20] [--messages 20]
Needs a trained model (models/bot.tar.gz; scripts/test.sh or scripts/run.sh trains it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from simulator import SCENARIOS  # noqa: E402
from tests.stack import Stack  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ack_latencies(stack: Stack, count: int, concurrency: int) -> tuple[list[float], int]:
    client = httpx.Client(timeout=10, limits=httpx.Limits(max_connections=concurrency))
    failures = 0

    def one(_: int) -> float:
        nonlocal failures
        body = {"_id": str(uuid.uuid4()), "resource": uuid.uuid4().hex, "user_id": 123456789,
                "topic": "messages", "actions": ["created"], "application_id": 5551234, "attempts": 1}
        started = time.perf_counter()
        response = client.post(stack.webhook, json=body)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            failures += 1
        return elapsed

    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(one, range(count)))
    client.close()
    return latencies, failures


def reply_times(stack: Stack, messages: int) -> list[float]:
    packs = [sc.pack_id or sc.order_id for sc in SCENARIOS.values() if sc.site_id == "MLB"][:4]
    times = []
    for i in range(messages):
        pack = packs[i % len(packs)]
        before = len(stack.seller_messages(pack))
        started = time.perf_counter()
        stack.buyer_writes(pack, "qual a forma de pagamento que eu usei?")
        stack.wait_for_seller_messages(pack, before + 1, seconds=60)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--messages", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp))
        stack.start()
        try:
            stack.sim_post("/_sim/config", {"callback_url": None})
            ack_latencies(stack, 50, args.concurrency)  # warm-up
            acks, failures = ack_latencies(stack, args.notifications, args.concurrency)
            stack.sim_post("/_sim/config", {"callback_url": stack.webhook})
            time.sleep(2)
            replies = reply_times(stack, args.messages)
        finally:
            stack.stop()
    print(f"webhook ack, {len(acks)} notifications, {args.concurrency} concurrent senders")
    print(f"  p50 {percentile(acks, 50):.1f} ms  p95 {percentile(acks, 95):.1f} ms  "
          f"p99 {percentile(acks, 99):.1f} ms  max {max(acks):.1f} ms  non-200: {failures}")
    print(f"buyer message -> bot reply in thread, {len(replies)} messages (sequential)")
    print(f"  p50 {percentile(replies, 50):.0f} ms  p95 {percentile(replies, 95):.0f} ms  "
          f"mean {statistics.mean(replies):.0f} ms  max {max(replies):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
