"""The whole product as separate processes on loopback, for end-to-end tests.

Simulator (as the marketplace, pushing notifications to the webhook), action server and Rasa
server (`python -m connectors run`) run exactly as scripts/run.sh starts them, each with its own
log under a temp folder.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from simulator import ACCESS_TOKEN

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "bot.tar.gz"
SECRET = "test-secret"


def free_port() -> int:
    """A port nobody listens on, below the kernel's ephemeral range: a port the kernel hands out
    (bind to 0) could be given again to an outgoing connection before our server binds it, which
    once failed a CI run with "address already in use"."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768  # Linux's default
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randrange(max(1024, low - 12000), low)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


class Stack:
    def __init__(self, tmp: Path, credentials: Path = ROOT / "credentials.yml") -> None:
        self.tmp = tmp
        self.credentials = credentials
        self.sim_port, self.actions_port, self.rasa_port = free_port(), free_port(), free_port()
        self.sim = f"http://127.0.0.1:{self.sim_port}"
        self.rasa = f"http://127.0.0.1:{self.rasa_port}"
        self.webhook = f"{self.rasa}/webhooks/mercadolibre/webhook?secret={SECRET}"
        self.tickets_file = tmp / "handoffs.jsonl"
        self.review_file = tmp / "review_queue.jsonl"
        self.procs: dict[str, subprocess.Popen] = {}
        self.endpoints = tmp / "endpoints.yml"
        self.env = dict(
            os.environ, RASA_TELEMETRY_ENABLED="false",
            MELI_API_URL=self.sim, MELI_APP_ID="5551234", MELI_SELLER_ID="123456789",
            MELI_CLIENT_ID="5551234", MELI_CLIENT_SECRET="sim-client-secret",
            MELI_REFRESH_TOKEN="TG-sim-refresh-token-123456789", MELI_ACCESS_TOKEN=ACCESS_TOKEN,
            MELI_WEBHOOK_SECRET=SECRET, MELI_DB_URL=f"sqlite:///{tmp / 'meli.db'}",
            MELI_TIMEOUT="3", RASA_ENDPOINTS=str(self.endpoints),
            HANDOFF_JSONL_PATH=str(self.tickets_file), HANDOFF_WEBHOOK_URL="",
            INBOX_AGENTS="ana:token-ana,bruno:token-bruno,lia:token-lia:lead,root:token-root:admin",
            REVIEW_QUEUE_PATH=str(self.review_file), MELI_AUTH_URL=f"{self.sim}/authorization",
            # The bench's and the reliability suite's bursts are the marketplace's own (1,000 at once):
            # the per-seller cap is tried by tests/hostile/test_webhook_hostile.py.
            MELI_WEBHOOK_RATE="100000",
        )

    # --- processes ---------------------------------------------------------------------------
    def start(self) -> None:
        if not MODEL.exists():
            raise RuntimeError("models/bot.tar.gz missing: run scripts/test.sh (it trains first)")
        self.endpoints.write_text(
            f"action_endpoint:\n  url: http://127.0.0.1:{self.actions_port}/webhook\n"
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {self.tmp / 'tracker.db'}\n"
            f"handoff:\n  jsonl_path: {self.tickets_file}\n  inbox: true\n"
            "  data_requests: [name, email, phone, document, order_number]\n"
        )
        self._spawn("simulator", [sys.executable, "-m", "simulator", "--port", str(self.sim_port),
                                  "--callback-url", self.webhook])
        self._wait(f"{self.sim}/_sim/health", "simulator")
        httpx.post(f"{self.sim}/_sim/config", json={"retry_delays": [0.5]}).raise_for_status()
        self._spawn("actions", [sys.executable, "-m", "actions", "-p", str(self.actions_port)])
        self.start_rasa()
        self._wait(f"http://127.0.0.1:{self.actions_port}/health", "actions")

    def __enter__(self) -> Stack:
        """`with Stack(tmp) as stack:` starts it, and stops every process however the block ends."""
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start_rasa(self) -> None:
        self.spawn_rasa()
        self._wait(f"{self.rasa}/webhooks/mercadolibre/", "rasa")

    def spawn_rasa(self) -> None:
        """Start the Rasa server without waiting for it (the bench times its start-up)."""
        self._spawn("rasa", [sys.executable, "-m", "connectors", "run", "-m", str(MODEL), "-i", "127.0.0.1",
                             "-p", str(self.rasa_port), "--enable-api", "--endpoints", str(self.endpoints),
                             "--credentials", str(self.credentials)])

    def kill_rasa(self) -> None:
        proc = self.procs.pop("rasa")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def _spawn(self, name: str, cmd: list[str]) -> None:
        log = open(self.tmp / f"{name}.log", "a")
        self.procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def _wait(self, url: str, name: str, seconds: int = 180) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            proc = self.procs[name]
            if proc.poll() is not None:
                raise RuntimeError(f"{name} died:\n{(self.tmp / f'{name}.log').read_text()[-3000:]}")
            try:
                if httpx.get(url, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{name} not up after {seconds}s")

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()

    # --- REST channel ------------------------------------------------------------------------
    def say(self, sender: str, text: str, **metadata: object) -> list[str]:
        body: dict[str, object] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        response = httpx.post(f"{self.rasa}/webhooks/rest/webhook", json=body, timeout=60)
        response.raise_for_status()
        return [m.get("text", "") for m in response.json()]

    # --- marketplace -------------------------------------------------------------------------
    def sim_post(self, path: str, body: Any = None) -> Any:
        response = httpx.post(f"{self.sim}{path}", json=body, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def buyer_writes(self, pack_id: int | str, text: str) -> str:
        return self.sim_post("/_sim/buyer_messages", {"pack_id": pack_id, "text": text})["id"]

    def thread(self, pack_id: int | str) -> list[dict[str, Any]]:
        body = httpx.get(f"{self.sim}/_sim/conversations/{pack_id}", timeout=10).json()
        messages = body.get("messages", body) if isinstance(body, dict) else body
        return sorted(messages, key=lambda m: (m.get("message_date") or {}).get("created") or "")

    def seller_messages(self, pack_id: int | str, seller: int | str = 123456789) -> list[dict[str, Any]]:
        return [m for m in self.thread(pack_id) if str((m.get("from") or {}).get("user_id")) == str(seller)]

    def wait_for_seller_messages(self, pack_id: int | str, count: int, seconds: float = 60,
                                 seller: int | str = 123456789) -> list[dict]:
        deadline = time.time() + seconds
        while time.time() < deadline:
            found = self.seller_messages(pack_id, seller)
            if len(found) >= count:
                return found
            time.sleep(0.3)
        raise AssertionError(f"expected {count} seller messages in {pack_id}, got {self.seller_messages(pack_id)}")

    def notify(self, body: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
        url = f"{self.rasa}/webhooks/mercadolibre/webhook" + (f"?secret={secret}" if secret else "")
        return httpx.post(url, content=json.dumps(body).encode(), timeout=10,
                          headers={"content-type": "application/json"})

    def tickets(self) -> list[dict[str, Any]]:
        if not self.tickets_file.exists():
            return []
        return [json.loads(line) for line in self.tickets_file.read_text().splitlines() if line]

    def wait_for_ticket(self, conversation: str, seconds: float = 60) -> dict[str, Any]:
        deadline = time.time() + seconds
        while time.time() < deadline:
            found = [t for t in self.tickets() if t["conversation_id"] == conversation]
            if found:
                return found[-1]
            time.sleep(0.3)
        raise AssertionError(f"no ticket for {conversation}")

    def intake_rows(self) -> list[dict[str, Any]]:
        import sqlite3

        with sqlite3.connect(self.tmp / "meli.db") as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("select * from meli_notifications order by id")]
