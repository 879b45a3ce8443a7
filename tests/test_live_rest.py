"""The running product, end to end: Rasa server + action server + simulator over loopback.

Buyers talk through Rasa's REST channel exactly as `scripts/run.sh` serves it; the assertions
are on what a buyer reads and on the ticket an agent receives.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from simulator import ACCESS_TOKEN, SCENARIOS

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "bot.tar.gz"
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: int = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} died:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {seconds}s:\n{log.read_text()[-3000:]}")


class Stack:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.sim_port, self.actions_port, self.rasa_port = free_port(), free_port(), free_port()
        self.sim = f"http://127.0.0.1:{self.sim_port}"
        self.rasa = f"http://127.0.0.1:{self.rasa_port}"
        self.tickets_file = tmp / "handoffs.jsonl"
        self.procs: list[subprocess.Popen] = []

    def start(self) -> None:
        if not MODEL.exists():
            raise RuntimeError("models/bot.tar.gz missing: run scripts/test.sh (it trains first)")
        endpoints = self.tmp / "endpoints.yml"
        endpoints.write_text(
            f"action_endpoint:\n  url: http://127.0.0.1:{self.actions_port}/webhook\n"
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {self.tmp / 'tracker.db'}\n"
            f"handoff:\n  jsonl_path: {self.tickets_file}\n"
        )
        env = dict(os.environ, PYTHONPATH=str(ROOT), MELI_API_URL=self.sim,
                   MELI_ACCESS_TOKEN=ACCESS_TOKEN, MELI_TIMEOUT="2", RASA_ENDPOINTS=str(endpoints),
                   RASA_TELEMETRY_ENABLED="false", HANDOFF_JSONL_PATH=str(self.tickets_file))
        bin_dir = Path(sys.executable).parent
        self._spawn("simulator", [sys.executable, "-m", "simulator", "--port", str(self.sim_port)], env)
        wait_for(f"{self.sim}/_sim/health", self.procs[-1], self.tmp / "simulator.log")
        self._spawn("actions", [str(bin_dir / "rasa"), "run", "actions", "--actions", "actions",
                                "-p", str(self.actions_port)], env)
        self._spawn("rasa", [str(bin_dir / "rasa"), "run", "-m", str(MODEL), "-i", "127.0.0.1",
                             "-p", str(self.rasa_port), "--enable-api", "--endpoints", str(endpoints),
                             "--credentials", str(ROOT / "credentials.yml")], env)
        wait_for(f"http://127.0.0.1:{self.actions_port}/health", self.procs[1], self.tmp / "actions.log")
        wait_for(f"{self.rasa}/", self.procs[2], self.tmp / "rasa.log")

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str]) -> None:
        log = open(self.tmp / f"{name}.log", "w")
        self.procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()

    def say(self, sender: str, text: str, **metadata: object) -> list[str]:
        body: dict[str, object] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        response = httpx.post(f"{self.rasa}/webhooks/rest/webhook", json=body, timeout=60)
        response.raise_for_status()
        return [m.get("text", "") for m in response.json()]

    def tickets(self) -> list[dict[str, object]]:
        if not self.tickets_file.exists():
            return []
        return [json.loads(line) for line in self.tickets_file.read_text().splitlines() if line]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("stack"))
    try:
        running.start()
        yield running
    finally:
        running.stop()


def test_order_status_from_channel_metadata_in_portuguese(stack: Stack) -> None:
    sc = SCENARIOS["shipped"]
    replies = stack.say("live-pt-1", "oi, cade meu pedido??", order_id=str(sc.order_id), site_id="MLB")
    text = " ".join(replies)
    assert "a caminho" in text
    assert sc.item_titles[0] in text
    assert "Posso ajudar com mais alguma coisa?" in text


def test_delivery_date_in_spanish_for_an_argentine_sale(stack: Stack) -> None:
    sc = SCENARIOS["shipped_mla"]
    replies = stack.say("live-es-1", "hola, para cuando llega mi compra?", pack_id=str(sc.pack_id), site_id="MLA")
    text = " ".join(replies)
    assert "está prevista para el" in text
    assert sc.item_titles[0] in text


def test_form_asks_the_order_number_on_rest_and_then_answers(stack: Stack) -> None:
    first = " ".join(stack.say("live-form-1", "qual o prazo de entrega do meu pedido?"))
    assert "número do pedido" in first
    wrong = " ".join(stack.say("live-form-1", "2000099999999999"))
    assert "Não encontrei o pedido 2000099999999999" in wrong
    sc = SCENARIOS["shipped"]
    answer = " ".join(stack.say("live-form-1", f"é esse {sc.order_id}"))
    assert "prevista para" in answer


def test_complaint_hands_off_with_ticket_and_bot_goes_silent(stack: Stack) -> None:
    sc = SCENARIOS["delivered"]
    replies = stack.say("live-complaint-1", "o tenis chegou todo rasgado, a caixa veio amassada",
                        pack_id=str(sc.pack_id), site_id="MLB")
    assert "pessoa da equipe" in " ".join(replies)
    ticket = [t for t in stack.tickets() if t["conversation_id"] == "live-complaint-1"][-1]
    assert ticket["interaction_type"] == "Complaint"
    assert ticket["intent"] == "complaint_damaged"
    assert {p["title"] for p in ticket["products"]} == set(sc.item_titles)
    assert ticket["transcript"][0]["text"].startswith("o tenis chegou")
    assert stack.say("live-complaint-1", "alguem ai?", pack_id=str(sc.pack_id)) == []


def test_api_down_gives_an_honest_reply_and_a_backend_error_ticket(stack: Stack) -> None:
    httpx.post(f"{stack.sim}/_sim/faults", json={"path": "^/(orders|packs)/", "status": 503}).raise_for_status()
    try:
        sc = SCENARIOS["paid_not_shipped"]
        replies = stack.say("live-down-1", "meu pagamento foi aprovado?", order_id=str(sc.order_id))
    finally:
        httpx.delete(f"{stack.sim}/_sim/faults")
    assert "não consegui consultar" in " ".join(replies)
    ticket = [t for t in stack.tickets() if t["conversation_id"] == "live-down-1"][-1]
    assert ticket["reason"] == "backend_error"
