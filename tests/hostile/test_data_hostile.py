"""Personal data at rest, as someone who gets a copy of the files or the database would see it."""

from __future__ import annotations

import json
import stat
import time

from sqlalchemy import select

from actions.delivery import deliver
from postsale import settings, signature, tickets
from postsale.handoff import HandoffRequest, new_ticket
from postsale.settings import Handoff
from testkit.stack import Stack

TYPED = ("meu cpf e 123456789-09, email ana.souza@gmail.com, whats (11) 98765-4321, "
         "cuit 20-12345678-9, dni 30123456")
LEAKS = ("123456789-09", "ana.souza@gmail.com", "98765-4321", "20-12345678-9", "30123456")


async def test_no_copy_of_a_ticket_keeps_what_the_buyer_typed(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MELI_DB_URL", f"sqlite:///{tmp_path / 'meli.db'}")
    monkeypatch.setenv("RASA_ENDPOINTS", str(tmp_path / "none.yml"))
    settings.reset()
    events = [{"event": "user", "text": TYPED, "timestamp": time.time(),
               "parse_data": {"intent": {"name": "complaint_damaged"}}}]
    config = Handoff(jsonl_path=str(tmp_path / "var" / "handoffs.jsonl"), inbox=True)
    ticket = new_ticket(conversation_id="b1", channel="rest", intent="complaint_damaged", language="pt",
                        events=events, config=config,
                        request=HandoffRequest("complaint_damaged", "Complaint", error={"detail": TYPED}))
    assert await deliver(ticket, config) == ["inbox", "jsonl"]
    line = (tmp_path / "var" / "handoffs.jsonl").read_text()
    with tickets.get_engine().connect() as conn:
        row = conn.execute(select(tickets.tickets.c.body)).scalar_one()
    for copy in (line, row):
        assert "[document]" in copy and "[email]" in copy
        for leak in LEAKS:
            assert leak not in copy, leak
    assert stat.S_IMODE((tmp_path / "var" / "handoffs.jsonl").stat().st_mode) == 0o600
    assert json.loads(line)["transcript"][0]["from"] == "buyer"


def test_a_captured_handoff_webhook_cannot_be_replayed_or_altered() -> None:
    body = json.dumps({"id": "t-1", "reason": "complaint_damaged"}).encode()
    sent_at = time.time() - 600
    headers = signature.headers("s" * 32, body, now=sent_at)
    timestamp, digest = headers[signature.TIMESTAMP_HEADER], headers[signature.SIGNATURE_HEADER]
    assert signature.verify("s" * 32, body, timestamp, digest, now=sent_at + 10)
    assert not signature.verify("s" * 32, body, timestamp, digest)  # ten minutes later: a replay
    fresh = str(int(time.time()))
    assert not signature.verify("s" * 32, body, fresh, digest)  # the old signature with a new time
    assert not signature.verify("s" * 32, body.replace(b"damaged", b"warranty"), timestamp, digest, now=sent_at)
    assert not signature.verify("s" * 32, body, "not-a-time", digest)


def test_the_running_servers_files_are_private(stack: Stack) -> None:
    stack.buyer_writes(2000007000000301, "quero falar com um atendente")
    stack.wait_for_ticket("meli-123456789-2000007000000301")
    for name in ("meli.db", "tracker.db", "handoffs.jsonl"):
        path = stack.tmp / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, (name, oct(path.stat().st_mode))
