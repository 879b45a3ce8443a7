"""Many stores on one Rasa server: memory, and a quiet store's reply latency during another
store's burst. Prints figures; asserts nothing (docs/performance.md records a run).

    .venv/bin/python bench/stores.py [--stores 50] [--burst 500] [--quiet 20]

Two runs on fresh stacks (testkit/stack.py, SQLite, the simulator), the same workload each:
1. one store: the busy and the quiet conversations are the seeded store's;
2. `--stores` stores, each connected through the real OAuth flow (testkit/stores.py); the busy
   store and the quiet store are two of them.
Workload: the quiet store's buyer writes `--quiet` messages one after another (each waits for its
reply) with nothing else going on, then again while the busy store's buyers send `--burst`
messages at once over 50 conversations. A reply's latency is from the buyer's message to the
bot's POST in the thread, both timed by the simulator. Memory: the Rasa server's peak (VmHWM).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import pct, peak_memory_mb  # noqa: E402
from simulator.constants import SELLER_ID  # noqa: E402
from testkit.stack import Stack  # noqa: E402
from testkit.stores import connect_store  # noqa: E402

BUSY_CONVERSATIONS = 50
QUESTION = "cade meu pedido?"


def sales_of(stack: Stack, seller: int, count: int) -> list[int]:
    made = stack.sim_post("/_sim/sales/clone", {"scenario": "shipped", "count": count, "seller_id": seller})["sales"]
    return [s["pack_id"] or s["order_id"] for s in made]


def reply_latency(stack: Stack, seller: int, pack: int, text: str) -> float:
    """Seconds from the buyer's message to the bot's reply posted in that thread."""
    path = f"^/messages/packs/{pack}/sellers/{seller}$"
    before = len([r for r in httpx.get(f"{stack.sim}/_sim/requests", params={"path": path}, timeout=30).json()
                  if r["method"] == "POST"])
    sent = time.time()
    stack.buyer_writes(pack, text)
    answer = httpx.get(f"{stack.sim}/_sim/requests/wait", timeout=200,
                       params={"path": path, "method": "POST", "count": before + 1, "timeout": 180})
    answer.raise_for_status()
    posts = [r for r in httpx.get(f"{stack.sim}/_sim/requests", params={"path": path}, timeout=30).json()
             if r["method"] == "POST" and r["status"] == 200]
    return posts[before]["epoch"] - sent


def quiet_run(stack: Stack, seller: int, pack: int, count: int) -> list[float]:
    return [reply_latency(stack, seller, pack, QUESTION) for _ in range(count)]


def burst(stack: Stack, seller: int, packs: list[int], size: int) -> threading.Thread:
    """`size` buyer messages over the busy store's conversations, sent as fast as the simulator takes them."""
    def send() -> None:
        with httpx.Client(base_url=stack.sim, timeout=30) as client:
            for n in range(size):
                client.post("/_sim/buyer_messages", json={"pack_id": packs[n % len(packs)], "text": QUESTION})
    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def wait_done(stack: Stack, expected: int, seconds: float = 600) -> float:
    started = time.time()
    while time.time() - started < seconds:
        rows = stack.intake_rows()
        if len(rows) >= expected and all(r["status"] in ("done", "failed") for r in rows):
            return time.time() - started
        time.sleep(1)
    raise RuntimeError("the burst was not processed in time")


def run(stores: int, size: int, quiet: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, Stack(Path(tmp)) as stack:
        started = time.time()
        busy_seller = quiet_seller = SELLER_ID
        if stores > 1:
            made = stack.sim_post("/_sim/sellers", {"count": stores - 1, "sales": 0})["sellers"]
            for seller in made:
                page = connect_store(stack.rasa, "token-root", seller["id"])
                if page.status_code != 200:
                    raise RuntimeError(f"store {seller['id']} not connected: {page.text}")
            busy_seller, quiet_seller = made[0]["id"], made[-1]["id"]
        connect_seconds = time.time() - started
        busy_packs = sales_of(stack, busy_seller, BUSY_CONVERSATIONS)
        quiet_pack = sales_of(stack, quiet_seller, 1)[0]
        reply_latency(stack, quiet_seller, quiet_pack, QUESTION)  # warm-up
        alone = quiet_run(stack, quiet_seller, quiet_pack, quiet)
        rows_before = len(stack.intake_rows())
        burst_started = time.time()
        sender = burst(stack, busy_seller, busy_packs, size)
        time.sleep(0.5)
        during = quiet_run(stack, quiet_seller, quiet_pack, quiet)
        sender.join()
        wait_done(stack, rows_before + size + quiet)
        burst_seconds = time.time() - burst_started  # from the burst's first message to all done
        return {"stores": stores, "connect_s": connect_seconds, "alone": alone, "during": during,
                "burst_s": burst_seconds, "rasa_mb": peak_memory_mb(stack.procs["rasa"].pid),
                "actions_mb": peak_memory_mb(stack.procs["actions"].pid)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--burst", type=int, default=500)
    parser.add_argument("--quiet", type=int, default=20)
    args = parser.parse_args()
    results = [run(1, args.burst, args.quiet), run(args.stores, args.burst, args.quiet)]
    print(f"\n{'stores':>6} | {'connect':>8} | {'quiet p50/p95 alone (ms)':>25} | "
          f"{'quiet p50/p95 in burst (ms)':>28} | {'burst done':>10} | {'Rasa peak':>9} | {'actions':>7}")
    for r in results:
        alone = f"{pct(r['alone'], 50) * 1000:.0f} / {pct(r['alone'], 95) * 1000:.0f}"
        during = f"{pct(r['during'], 50) * 1000:.0f} / {pct(r['during'], 95) * 1000:.0f}"
        print(f"{r['stores']:>6} | {r['connect_s']:>7.1f}s | {alone:>25} | {during:>28} | {r['burst_s']:>9.1f}s | "
              f"{r['rasa_mb']:>6.0f} MB | {r['actions_mb']:>4.0f} MB")
    one, many = results
    print(f"\nRasa peak memory with {many['stores']} stores: {many['rasa_mb'] / one['rasa_mb'] * 100 - 100:+.1f}% "
          f"against one store ({many['rasa_mb']:.0f} vs {one['rasa_mb']:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
