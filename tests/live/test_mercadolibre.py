"""The Mercado Libre channel end to end: simulator notifications → webhook → Rasa → reply in
the pack's thread, through the real Rasa server and action server over loopback."""

from __future__ import annotations

import concurrent.futures
import time

import httpx
import pytest

from simulator import SCENARIOS
from testkit.stack import Stack

pytestmark = pytest.mark.slow
SELLER = 123456789
APP = 5551234


def note(resource: str, topic: str = "messages", **over: object) -> dict:
    body = {"_id": f"n-{resource}", "resource": resource, "user_id": SELLER, "topic": topic,
            "actions": ["created"], "application_id": APP, "attempts": 1,
            "sent": "2026-11-29T12:00:00.000Z", "received": "2026-11-29T12:00:00.000Z"}
    body.update(over)
    return body


def silent_buyer_message(stack: Stack, pack_id: int, text: str) -> str:
    """A buyer message whose notification the test delivers itself."""
    stack.sim_post("/_sim/config", {"callback_url": None})
    try:
        return stack.buyer_writes(pack_id, text)
    finally:
        stack.sim_post("/_sim/config", {"callback_url": stack.webhook})


def test_portuguese_buyer_gets_the_real_order_status_in_the_thread(stack: Stack) -> None:
    sc = SCENARIOS["shipped"]
    before = len(stack.seller_messages(sc.pack_id))
    stack.buyer_writes(sc.pack_id, "oi, cade meu pedido? ja foi enviado?")
    replies = stack.wait_for_seller_messages(sc.pack_id, before + 2)[before:]
    text = " ".join(m["text"] for m in replies)
    assert "a caminho" in text
    assert "Smartwatch" in text
    assert all(len(m["text"]) <= 350 for m in replies)
    assert all(m["to"]["user_id"] == sc.buyer_id for m in replies)


def test_spanish_buyer_gets_the_delivery_date(stack: Stack) -> None:
    sc = SCENARIOS["shipped_mla"]
    before = len(stack.seller_messages(sc.pack_id))
    stack.buyer_writes(sc.pack_id, "hola! para cuando llega el termo?")
    text = " ".join(m["text"] for m in stack.wait_for_seller_messages(sc.pack_id, before + 2)[before:])
    assert "está prevista para el" in text
    assert "Termo Acero" in text


def test_five_concurrent_deliveries_give_exactly_one_answer(stack: Stack) -> None:
    sc = SCENARIOS["delivered_mlm"]
    before = len(stack.seller_messages(sc.pack_id))
    message_id = silent_buyer_message(stack, sc.pack_id, "ya se acredito mi pago?")
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: stack.notify(note(message_id)), range(5)))
    assert [a.status_code for a in answers] == [200] * 5
    assert sorted(a.json()["status"] for a in answers) == ["accepted"] + ["duplicate"] * 4
    stack.wait_for_seller_messages(sc.pack_id, before + 2)
    time.sleep(3)  # let any duplicate processing surface
    texts = [m["text"] for m in stack.seller_messages(sc.pack_id)[before:]]
    assert len(texts) == len(set(texts)) == 2, texts  # payment status + "anything else?", once
    assert len([r for r in stack.intake_rows() if r["resource"] == message_id]) == 1


def test_sellers_own_message_gets_no_reply(stack: Stack) -> None:
    sc = SCENARIOS["return_in_progress"]
    own = httpx.post(
        f"{stack.sim}/messages/packs/{sc.pack_id}/sellers/{SELLER}", params={"tag": "post_sale"},
        headers={"Authorization": "Bearer APP_USR-sim-access-token"},
        json={"from": {"user_id": str(SELLER)}, "to": {"user_id": str(sc.buyer_id)}, "text": "Oi, tudo certo?"},
    )
    if own.status_code == 403:  # the thread must be opened by the buyer first
        silent_buyer_message(stack, sc.pack_id, "oi")
        own = httpx.post(own.request.url, headers=own.request.headers, content=own.request.content)
    own.raise_for_status()
    before = len(stack.seller_messages(sc.pack_id))
    assert stack.notify(note(own.json()["id"])).json()["status"] == "accepted"
    deadline = time.time() + 20
    while time.time() < deadline:
        row = [r for r in stack.intake_rows() if r["resource"] == own.json()["id"]][0]
        if row["status"] == "done":
            break
        time.sleep(0.3)
    assert row["outcome"] == "own_message"
    assert len(stack.seller_messages(sc.pack_id)) == before


def test_questions_topic_is_acknowledged_and_ignored(stack: Stack) -> None:
    rows = len(stack.intake_rows())
    answer = stack.notify(note("/questions/5036111111", topic="questions"))
    assert answer.status_code == 200 and answer.json()["status"] == "ignored"
    assert len(stack.intake_rows()) == rows


@pytest.mark.parametrize(
    "override, status",
    [({"application_id": 999}, 403), ({"user_id": "x1"}, 400)],
)
def test_spoofed_ids_are_rejected_and_nothing_is_stored(stack: Stack, override, status) -> None:
    rows = len(stack.intake_rows())
    answer = stack.notify(note("abcdef0123456789", **override))
    assert answer.status_code == status
    assert "error" in answer.json()
    assert len(stack.intake_rows()) == rows


def test_a_seller_that_is_no_store_here_is_acknowledged_and_dropped(stack: Stack) -> None:
    """One application receives every authorising seller's notifications: a seller not connected
    to this deployment gets 200 (a 403 would make the marketplace retry it for an hour) and
    nothing is stored or fetched."""
    rows = len(stack.intake_rows())
    answer = stack.notify(note("abcdef0123456789", user_id=42))
    assert answer.status_code == 200 and answer.json() == {"status": "ignored", "reason": "store_not_connected"}
    assert len(stack.intake_rows()) == rows


def test_wrong_secret_is_refused(stack: Stack) -> None:
    assert stack.notify(note("abc123"), secret="guess").status_code == 401
    assert stack.notify(note("abc123"), secret=None).status_code == 401


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[]", b'{"topic": "messages"}', b"\xff\xfe\x00", b'{"resource": "../../etc/passwd", '
     b'"topic": "messages", "user_id": 123456789, "application_id": 5551234}', b"x" * 200_000],
)
def test_malformed_bodies_get_4xx_with_a_reason_and_server_stays_healthy(stack: Stack, raw: bytes) -> None:
    answer = httpx.post(stack.webhook, content=raw, headers={"content-type": "application/json"}, timeout=10)
    assert 400 <= answer.status_code < 500
    assert answer.json()["error"]
    assert httpx.get(f"{stack.rasa}/webhooks/mercadolibre/").json()["status"] == "ok"


def test_expired_token_is_refreshed_and_the_reply_still_goes_out(stack: Stack) -> None:
    sc = SCENARIOS["delivered"]
    before = len(stack.seller_messages(sc.pack_id))
    stack.sim_post("/_sim/expire_tokens")
    stack.buyer_writes(sc.pack_id, "preciso da nota fiscal")
    new = stack.wait_for_seller_messages(sc.pack_id, before + 1)[before:]
    assert "nota fiscal" in " ".join(m["text"] for m in new)
    log = httpx.get(f"{stack.sim}/_sim/requests").json()
    assert any(r["path"] == "/oauth/token" and r["status"] == 200 for r in log)


def test_moderated_reply_hands_the_conversation_off(stack: Stack) -> None:
    sc = SCENARIOS["late"]
    stack.sim_post("/_sim/moderate_next", {"reason": "PERSONAL_DATA", "times": 1})
    stack.buyer_writes(sc.pack_id, "qual a forma de pagamento que usei?")
    ticket = stack.wait_for_ticket(f"meli-{SELLER}-{sc.pack_id}")
    assert ticket["reason"] == "moderated_reply"
    assert ticket["origin"] == "Mercado Libre"
    assert ticket["order"]["pack_id"] == str(sc.pack_id)


def test_open_claim_notification_hands_off_as_complaint_with_claim(stack: Stack) -> None:
    sc = SCENARIOS["open_claim"]
    stack.sim_post(f"/_sim/claims/{sc.claim_id}/notify")
    ticket = stack.wait_for_ticket(f"meli-{SELLER}-{sc.pack_id}")
    assert (ticket["reason"], ticket["interaction_type"]) == ("open_claim", "Complaint")
    assert ticket["claim"]["id"] == sc.claim_id
    assert ticket["claim"]["due_dates"]


def test_killed_between_ack_and_processing_still_answers_once(stack: Stack) -> None:
    sc = SCENARIOS["paid_not_shipped"]
    pack = sc.order_id  # an order without pack: the order id stands in for the pack
    stack.sim_post("/_sim/faults", {"path": "^/messages/[0-9a-f]+$", "latency_ms": 15000, "times": 1})
    message_id = stack.buyer_writes(pack, "oi, meu pedido ja saiu?")
    deadline = time.time() + 20
    while not [r for r in stack.intake_rows() if r["resource"] == message_id]:
        assert time.time() < deadline, "notification never acknowledged"
        time.sleep(0.2)
    stack.kill_rasa()
    httpx.delete(f"{stack.sim}/_sim/faults")
    stack.start_rasa()
    stack.wait_for_seller_messages(pack, 2)
    time.sleep(3)
    texts = [m["text"] for m in stack.seller_messages(pack)]  # this pack is used by this test only
    assert len(texts) == len(set(texts)), texts  # nothing sent twice
    assert sum("pronto para envio" in t for t in texts) == 1
