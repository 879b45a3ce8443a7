"""The outgoing-text guard on the live Mercado Libre path and in the agent inbox.

A seller's listing title carries a WhatsApp number; the bot would repeat it in its order
status answer. The guard stops that reply before it is posted, the buyer reads a safe reply in
their language instead, and the conversation reaches a person with reason
`blocked_outgoing_text`. The agent's own reply asking for the buyer's phone is refused with
the reason, nothing is posted, and a clean reply goes through.
"""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest

from simulator import SCENARIOS
from testkit.stack import Stack

pytestmark = pytest.mark.slow
TOKEN = {"Authorization": "Bearer token-ana"}
SELLER = 123456789


def test_bot_reply_with_contact_data_is_replaced_and_handed_off(stack: Stack) -> None:
    sc = SCENARIOS["pending_payment"]
    pack = sc.pack_id or sc.order_id
    stack.sim_post(f"/_sim/conversations/{pack}/status", {"status": "active", "substatus": None})
    httpx.put(f"{stack.sim}/_sim/orders/{sc.order_id}/title",
              json={"title": "Capa Celular - atacado no zap (11) 98765-4321"}).raise_for_status()
    before = len(stack.seller_messages(pack))
    stack.buyer_writes(pack, "oi, qual o status do meu pedido?")

    ticket = stack.wait_for_ticket(f"meli-{SELLER}-{pack}")
    assert ticket["reason"] == "blocked_outgoing_text"
    assert ticket["interaction_type"] == "Help"
    assert "share_contact" in str(ticket.get("error") or ticket.get("detail") or ticket)

    posted = stack.wait_for_seller_messages(pack, before + 1)[before:]
    texts = " ".join(m["text"] for m in posted)
    assert "98765" not in texts and "zap" not in texts.lower()
    assert "passei sua pergunta para uma pessoa da equipe" in texts  # the safe reply, in Portuguese

    with sqlite3.connect(stack.tmp / "meli.db") as db:
        stored = db.execute("select text, status, moderation_reason from meli_replies where pack_id = ? "
                            "and status = 'blocked_by_guard'", (str(pack),)).fetchall()
    assert stored and stored[0][2] == "share_contact"
    assert "98765-4321" not in stored[0][0]  # kept for the record, without the phone number

    inbox = f"{stack.rasa}/webhooks/inbox/api/tickets"
    ticket_id = next(t["id"] for t in httpx.get(inbox, headers=TOKEN).json()["tickets"]
                     if httpx.get(f"{inbox}/{t['id']}", headers=TOKEN).json()["conversation_id"]
                     == f"meli-{SELLER}-{pack}")
    count = len(stack.seller_messages(pack))
    refused = httpx.post(f"{inbox}/{ticket_id}/reply", headers=TOKEN,
                         json={"text": "Oi! Me passa seu whats que te explico melhor"})
    assert refused.status_code == 422
    assert refused.json()["kind"] == "request_phone"
    assert "telefone" in refused.json()["message"] and refused.json()["excerpt"]
    time.sleep(1)
    assert len(stack.seller_messages(pack)) == count  # nothing reached the buyer

    sent = httpx.post(f"{inbox}/{ticket_id}/reply", headers=TOKEN,
                      json={"text": "Oi! Seu pagamento ainda está pendente no Mercado Livre, assim que aprovar a "
                                    "gente envia."})
    assert sent.status_code == 200, sent.text
    assert len(stack.wait_for_seller_messages(pack, count + 1)) == count + 1
