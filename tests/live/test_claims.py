"""Claims worked in the inbox against Mercado Libre's deadlines, and files both ways.

Each test clones its own sale with its own claim in the simulator, so moving a claim to dispute
or closing it touches nothing another test reads.
"""

from __future__ import annotations

import base64
import struct
import time
import zlib
from typing import Any

import httpx
import pytest

from testkit.stack import Stack
from tests.live.conftest import SCREENSHOTS

pytestmark = pytest.mark.slow
TOKEN = {"Authorization": "Bearer token-ana"}
SELLER = 123456789


def _png(width: int = 48, height: int = 32) -> bytes:
    """A real (orange) PNG, so the browser draws the thumbnail."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xfb\x8c\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = _png()


def inbox(stack: Stack, path: str = "") -> str:
    return f"{stack.rasa}/webhooks/inbox/{path}"


def clone(stack: Stack, scenario: str) -> dict[str, Any]:
    return stack.sim_post("/_sim/sales/clone", {"scenario": scenario, "count": 1})["sales"][0]


def queue(stack: Stack) -> list[dict[str, Any]]:
    return httpx.get(inbox(stack, "api/tickets"), headers=TOKEN).json()["tickets"]


def ticket_of(stack: Stack, pack: int, until: Any = lambda t: True, seconds: float = 60) -> dict[str, Any]:
    conversation = f"meli-{SELLER}-{pack}"
    deadline = time.time() + seconds
    while time.time() < deadline:
        for item in queue(stack):
            if item["conversation_id"] == conversation:
                detail = httpx.get(inbox(stack, f"api/tickets/{item['id']}"), headers=TOKEN, timeout=20).json()
                if until(detail):
                    return detail
        time.sleep(0.5)
    raise AssertionError(f"no ticket as expected for {conversation}")


def reply(stack: Stack, ticket: dict[str, Any], body: dict[str, Any]) -> httpx.Response:
    return httpx.post(inbox(stack, f"api/tickets/{ticket['id']}/reply"), headers=TOKEN, json=body, timeout=30)


def test_a_claim_moves_to_dispute_the_agent_answers_the_mediator_and_the_close_is_recorded(stack: Stack) -> None:
    sale = clone(stack, "open_claim")
    soon = clone(stack, "open_claim")
    stack.sim_post(f"/_sim/claims/{sale['claim_id']}/notify")
    ticket = ticket_of(stack, sale["pack_id"])
    claim = ticket["claim"]
    # What Mercado Libre will judge, in the ticket: reason in words, detail, the mandatory action
    # and its date, the reputation verdict with the 48-hour incentive, and the claim's messages.
    assert claim["reason"]["name"] == "damaged_product" and claim["stage"] == "claim"
    assert claim["detail"]["problem"] == "Você nos disse que o produto chegou danificado"
    assert claim["seller_action"]["action"] in ("refund", "allow_return") and claim["due_at"] > time.time()
    assert claim["reputation"]["has_incentive"] is True and claim["incentive_until"] > time.time()
    assert [m["from"] for m in claim["messages"]] == ["complainant"]
    assert ticket["queue"]["urgency"] == "incentive"  # due in 2 days, the incentive window running

    # Another claim due in 5 hours: inside the 12-hour window, and first in the queue.
    stack.sim_post(f"/_sim/claims/{soon['claim_id']}/stage", {"due_in_hours": 5})
    urgent = ticket_of(stack, soon["pack_id"], lambda t: t["queue"]["urgency"] == "due_soon")
    assert 4 * 3600 < urgent["queue"]["due_in_seconds"] <= 5 * 3600
    ids = [t["id"] for t in queue(stack)]
    assert ids.index(urgent["id"]) < ids.index(ticket["id"])

    # A mediator steps in: the chat is blocked, the ticket rises and says so.
    stack.sim_post(f"/_sim/claims/{sale['claim_id']}/stage", {"stage": "dispute", "due_in_hours": 30})
    disputed = ticket_of(stack, sale["pack_id"], lambda t: t["claim"]["stage"] == "dispute")
    assert disputed["priority"] == 0 and disputed["claim_event"]["kind"] == "dispute"
    assert any(a["action"] == "claim_dispute" for a in disputed["audit"])
    assert disputed["claim"]["receivers"] == ["mediator"]
    status = httpx.get(f"{stack.sim}/_sim/conversations/{sale['pack_id']}").json()["conversation_status"]
    assert status["substatus"] == "blocked_by_mediation"

    # The chat cannot take the reply; the claim can, to the mediator only, through the guard.
    refused = reply(stack, disputed, {"text": "Oi, segue a foto", "to": "complainant"})
    assert refused.status_code == 502 and refused.json()["to"] == "complainant"
    guarded = reply(stack, disputed, {"text": "me chama no whatsapp 11 91234-5678", "to": "mediator"})
    assert guarded.status_code == 422 and guarded.json()["error"] == "blocked_by_guard"
    sent = reply(stack, disputed, {"text": "Enviamos o produto bem embalado, segue a nota.", "to": "mediator",
                                   "files": [{"name": "embalagem.png", "data": base64.b64encode(PNG).decode()}]})
    assert sent.status_code == 200, sent.text
    messages = httpx.get(f"{stack.sim}/_sim/claims/{sale['claim_id']}").json()["messages"]
    ours = [m for m in messages if m["sender_role"] == "respondent"]
    assert [(m["receiver_role"], m["message"]) for m in ours] == [
        ("mediator", "Enviamos o produto bem embalado, segue a nota.")]
    assert ours[0]["attachments"][0]["original_filename"] == "embalagem.png"
    assert not any("91234" in m["message"] for m in messages)
    shown = ticket_of(stack, sale["pack_id"], lambda t: len(t["claim"]["messages"]) == 3)
    assert [m["from"] for m in shown["claim"]["messages"]] == ["complainant", "mediator", "respondent"]
    evidence = shown["claim"]["messages"][-1]["attachments"][0]["id"]
    fetched = httpx.get(inbox(stack, f"api/tickets/{shown['id']}/files/{evidence}"), headers=TOKEN)
    assert fetched.status_code == 200 and fetched.content == PNG and fetched.headers["content-type"] == "image/png"

    # Closed in the seller's favour: recorded, and the ticket no longer holds a deadline.
    stack.sim_post(f"/_sim/claims/{sale['claim_id']}/stage",
                   {"status": "closed", "resolution": "seller_sent_product", "benefited": "respondent"})
    closed = ticket_of(stack, sale["pack_id"], lambda t: t["claim"]["status"] == "closed")
    assert closed["claim"]["resolution"]["benefited"] == ["respondent"]
    assert closed["queue"]["due_in_seconds"] is None and closed["queue"]["urgency"] is None
    assert any(a["action"] == "claim_closed" and a["detail"] == "seller_sent_product" for a in closed["audit"])


def test_a_buyers_photo_reaches_the_agent_and_the_agents_photo_reaches_the_buyer(stack: Stack) -> None:
    sale = clone(stack, "delivered")
    pack = sale["pack_id"]
    stack.sim_post("/_sim/buyer_messages", {"pack_id": pack, "text": "chegou quebrado, olha a foto",
                                            "attachment": {"name": "quebrado.png",
                                                           "data": base64.b64encode(PNG).decode()}})
    ticket = ticket_of(stack, pack, lambda t: any(line.get("attachments") for line in t["transcript"]))
    photo = next(a for line in ticket["transcript"] for a in line.get("attachments") or [])
    assert photo["name"] == "quebrado.png" and photo["type"] == "image/png"
    fetched = httpx.get(inbox(stack, f"api/tickets/{ticket['id']}/files/{photo['id']}"), headers=TOKEN)
    assert fetched.status_code == 200 and fetched.content == PNG
    assert fetched.headers["cache-control"] == "no-store"
    # Only the ticket's own files: another id is not fetched for the caller, nor without a token.
    assert httpx.get(inbox(stack, f"api/tickets/{ticket['id']}/files/123_other.png"),
                     headers=TOKEN).status_code == 404
    assert httpx.get(inbox(stack, f"api/tickets/{ticket['id']}/files/{photo['id']}")).status_code == 401

    html = base64.b64encode(b"<html><script>alert(1)</script></html>").decode()
    bad = reply(stack, ticket, {"text": "segue", "files": [{"name": "x.png", "data": html}]})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_file"
    sent = reply(stack, ticket, {"text": "Recebemos, segue a etiqueta de troca.",
                                 "files": [{"name": "etiqueta troca.png", "data": base64.b64encode(PNG).decode()}]})
    assert sent.status_code == 200, sent.text
    last = stack.seller_messages(pack)[-1]
    assert last["text"] == "Recebemos, segue a etiqueta de troca."
    assert [a["original_filename"] for a in last["message_attachments"]] == ["etiqueta_troca.png"]
    again = ticket_of(stack, pack, lambda t: any(line["from"] == "agent" and line.get("attachments")
                                                 for line in t["transcript"]))
    assert again["first_reply_ts"] is not None


@pytest.mark.parametrize("lang, dispute_words, mediator_option", [
    ("pt", "foi para mediação", "Mediador (na reclamação)"), ("es", "pasó a mediación", "Mediador (en el reclamo)")])
def test_the_queue_and_a_disputed_claim_in_chromium(stack: Stack, browser, lang, dispute_words,
                                                    mediator_option) -> None:
    sale = clone(stack, "open_claim")
    stack.sim_post(f"/_sim/claims/{sale['claim_id']}/notify")
    ticket_of(stack, sale["pack_id"])
    stack.sim_post(f"/_sim/claims/{sale['claim_id']}/stage", {"stage": "dispute", "due_in_hours": 6})
    ticket = ticket_of(stack, sale["pack_id"], lambda t: t["claim"]["stage"] == "dispute")
    httpx.post(inbox(stack, "api/me"), headers=TOKEN, json={"language": lang})
    page = browser.new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(inbox(stack))
    page.fill("#token", "token-ana")
    page.click("#login button[type=submit]")
    item = page.locator(f".ticket[data-id='{ticket['id']}']")
    item.wait_for(timeout=30_000)
    assert item.locator(".badge.due_soon").count() == 1 and item.locator(".countdown").count() == 1
    assert "unread" in (item.get_attribute("class") or "")
    page.locator("#tools button[data-filter=claims]").click()
    assert page.locator(".ticket[data-code]").count() == 0  # the filter keeps tickets, not codes
    item.click()
    page.wait_for_selector(f"#context .notice >> text={dispute_words}", timeout=15_000)
    page.wait_for_selector("#claimlog .line.mediator", timeout=15_000)
    assert page.locator("#to").input_value() == "mediator"  # the chat is blocked: the claim is where to answer
    assert mediator_option in page.inner_text("#to")
    assert "unread" not in (item.get_attribute("class") or "")
    page.fill("#draft", "Segue a foto da embalagem." if lang == "pt" else "Adjunto la foto del embalaje.")
    page.set_input_files("#files", files=[{"name": "caixa.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("#send")
    page.wait_for_selector("#claimlog .line.respondent .files img", timeout=20_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"inbox-claim-{lang}.png"), full_page=True)
    httpx.post(inbox(stack, "api/me"), headers=TOKEN, json={"language": "pt"})
    page.close()


def test_a_buyer_sends_a_photo_from_the_chat_page_and_the_agent_sees_it(stack: Stack, browser, tmp_path) -> None:
    from simulator import SCENARIOS

    sc = SCENARIOS["not_delivered"]
    pack = sc.pack_id or sc.order_id
    photo = tmp_path / "caixa-amassada.png"
    photo.write_bytes(_png(64, 40))
    buyer = browser.new_page()
    buyer.goto(f"{stack.sim}/chat/{pack}")
    buyer.fill("#chat-text", "a caixa chegou toda amassada e aberta, olha")
    buyer.set_input_files("#chat-photo", str(photo))
    buyer.click("#chat-form button[type=submit]")
    buyer.wait_for_selector("li.msg.buyer >> text=caixa-amassada.png", timeout=15_000)
    ticket = ticket_of(stack, pack, lambda t: any(a["name"] == "caixa-amassada.png" for line in t["transcript"]
                                                  for a in line.get("attachments") or []))
    page = browser.new_page()
    page.goto(inbox(stack))
    page.fill("#token", "token-ana")
    page.click("#login button[type=submit]")
    page.locator(f".ticket[data-id='{ticket['id']}']").click()
    thumb = page.locator("#transcript .files img[alt='caixa-amassada.png']")
    thumb.wait_for(timeout=15_000)
    page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=thumb.element_handle(),
                           timeout=15_000)
    buyer.close()
    page.close()
