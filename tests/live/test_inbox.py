"""Agent inbox end to end: complaint → ticket in the queue → agent reply reaches the buyer's
Mercado Libre thread → resolve → the bot answers again."""

from __future__ import annotations

import time

import httpx
import pytest

from simulator import SCENARIOS
from testkit.stack import Stack

pytestmark = pytest.mark.slow
TOKEN = {"Authorization": "Bearer token-ana"}
SELLER = 123456789


def inbox(stack: Stack, path: str = "") -> str:
    return f"{stack.rasa}/webhooks/inbox/{path}"


def wait_ticket(stack: Stack, conversation: str, seconds: float = 60) -> dict:
    deadline = time.time() + seconds
    while time.time() < deadline:
        for summary in httpx.get(inbox(stack, "api/tickets"), headers=TOKEN).json()["tickets"]:
            detail = httpx.get(inbox(stack, f"api/tickets/{summary['id']}"), headers=TOKEN).json()
            if detail["conversation_id"] == conversation:
                return detail
        time.sleep(0.5)
    raise AssertionError(f"no inbox ticket for {conversation}")


@pytest.mark.parametrize("path, method", [
    ("api/tickets", "GET"), ("api/tickets/x", "GET"), ("api/tickets/x/take", "POST"),
    ("api/tickets/x/reply", "POST"), ("api/tickets/x/resolve", "POST"),
])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic YW5hOnRva2VuLWFuYQ=="}])
def test_every_inbox_route_refuses_anonymous_calls(stack: Stack, path, method, headers) -> None:
    # (wrong Bearer tokens are tried in tests/hostile: a few of them lock the address for a minute)
    answer = httpx.request(method, inbox(stack, path), headers=headers, json={})
    assert answer.status_code == 401


def test_the_page_is_static_and_the_api_needs_the_bearer_token(stack: Stack) -> None:
    page = httpx.get(inbox(stack))
    assert page.status_code == 200 and "Fila de atendimento" in page.text and "token-ana" not in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert httpx.get(inbox(stack, "api/tickets"), auth=("ana", "token-ana")).status_code == 401  # no Basic
    assert httpx.get(inbox(stack, "api/tickets"), headers=TOKEN).json()["agent"] == "ana"


@pytest.mark.parametrize("scenario, complaint, reply, help_question, expected", [
    ("delivered", "o tenis chegou com a sola descolando, ta estragado", "Oi! Ja estamos enviando outro par hoje.",
     "e a nota fiscal, ja ta disponivel?", "nota fiscal"),
    ("delivered_mlm", "la licuadora llego con el vaso roto", "Hola, te enviamos un reemplazo hoy mismo.",
     "como pague la compra?", "Pago de"),
])
def test_complaint_agent_reply_resolve_and_bot_again(stack: Stack, scenario, complaint, reply,
                                                     help_question, expected) -> None:
    sc = SCENARIOS[scenario]
    pack = sc.pack_id
    conversation = f"meli-{SELLER}-{pack}"
    stack.buyer_writes(pack, complaint)
    ticket = wait_ticket(stack, conversation)
    assert ticket["interaction_type"] == "Complaint"
    assert ticket["origin"] == "Mercado Libre"
    assert {p["title"] for p in ticket["products"]} == set(sc.item_titles)
    assert ticket["order"]["pack_id"] == str(pack)
    assert {s["field"] for s in ticket["data_requests"]["stripped"]} >= {"email", "phone"}
    assert ticket["data_requests"]["askable"] == []

    before = len(stack.seller_messages(pack))
    stack.buyer_writes(pack, "alguem vai me responder?" if sc.site_id == "MLB" else "hay alguien?")
    deadline = time.time() + 30
    while not any("alguem" in line["text"] or "alguien" in line["text"]
                  for line in httpx.get(inbox(stack, f"api/tickets/{ticket['id']}"), headers=TOKEN)
                  .json()["transcript"]):
        assert time.time() < deadline, "buyer message during handoff not in the transcript"
        time.sleep(0.5)
    assert len(stack.seller_messages(pack)) == before  # the bot stays silent while handed off

    assert httpx.post(inbox(stack, f"api/tickets/{ticket['id']}/take"), headers=TOKEN, json={}).status_code == 200
    sent = httpx.post(inbox(stack, f"api/tickets/{ticket['id']}/reply"), headers=TOKEN, json={"text": reply})
    assert sent.status_code == 200, sent.text
    assert reply in [m["text"] for m in stack.seller_messages(pack)]

    resolved = httpx.post(inbox(stack, f"api/tickets/{ticket['id']}/resolve"), headers=TOKEN, json={})
    assert resolved.json() == {"status": "resolved", "bot": "resumed"}
    queue_ids = [t["id"] for t in httpx.get(inbox(stack, "api/tickets"), headers=TOKEN).json()["tickets"]]
    assert ticket["id"] not in queue_ids

    count = len(stack.seller_messages(pack))
    stack.buyer_writes(pack, help_question)
    answers = stack.wait_for_seller_messages(pack, count + 1)
    assert expected in " ".join(m["text"] for m in answers[count:])


def test_buyer_saying_it_is_solved_closes_the_ticket_and_resumes_the_bot(stack: Stack) -> None:
    sc = SCENARIOS["cancelled_not_refunded"]
    pack = sc.pack_id
    conversation = f"meli-{SELLER}-{pack}"
    stack.sim_post(f"/_sim/conversations/{pack}/status", {"status": "active", "substatus": None})
    stack.buyer_writes(pack, "cancelaram meu pedido e o dinheiro nao voltou ainda")
    ticket = wait_ticket(stack, conversation)
    count = len(stack.seller_messages(pack))
    stack.buyer_writes(pack, "ja resolvi aqui, o estorno caiu. obrigado!")
    replies = stack.wait_for_seller_messages(pack, count + 1)
    assert "Que bom que se resolveu" in " ".join(m["text"] for m in replies[count:])
    queue_ids = [t["id"] for t in httpx.get(inbox(stack, "api/tickets"), headers=TOKEN).json()["tickets"]]
    assert ticket["id"] not in queue_ids
    assert httpx.get(inbox(stack, f"api/tickets/{ticket['id']}"), headers=TOKEN).json()["status"] == "resolved"


def test_claim_on_a_conversation_already_with_a_person_upgrades_its_ticket(stack: Stack) -> None:
    sc = SCENARIOS["return_in_progress"]
    conversation = f"meli-{SELLER}-{sc.pack_id}"
    stack.buyer_writes(sc.pack_id, "quero falar com um atendente humano por favor")
    ticket = wait_ticket(stack, conversation)
    assert ticket["interaction_type"] == "Help"
    stack.sim_post(f"/_sim/claims/{sc.claim_id}/notify")
    deadline = time.time() + 30
    while True:
        detail = httpx.get(inbox(stack, f"api/tickets/{ticket['id']}"), headers=TOKEN).json()
        if detail["interaction_type"] == "Complaint":
            break
        assert time.time() < deadline, "open ticket not upgraded by the claim"
        time.sleep(0.5)
    assert detail["claim"]["id"] == sc.claim_id
    assert detail["reasons"][-1] == "open_claim"
    assert [t["id"] for t in httpx.get(inbox(stack, "api/tickets"), headers=TOKEN).json()["tickets"]
            if t["id"] == ticket["id"]]
