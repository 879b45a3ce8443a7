"""In a real headless Chromium: a buyer complains on the marketplace chat page, the agent
answers from the inbox page, the buyer sees it, the agent resolves, the bot answers again."""

from __future__ import annotations

import pytest

from simulator import SCENARIOS
from testkit.stack import Stack
from tests.live.conftest import SCREENSHOTS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("scenario, complaint, reply, question, answer", [
    ("not_delivered", "ja passou do prazo e meu pedido nao chegou, quero uma solucao",
     "Oi! Abrimos um chamado com a transportadora e te damos retorno hoje.",
     "qual foi a forma de pagamento?", "Pagamento de"),
    ("shipped_mla", "me llego la caja vacia, sin el termo adentro!",
     "Hola, ya te despachamos otro termo sin costo.", "con que correo viene el envio?", "transportista"),
])
def test_buyer_complaint_agent_reply_resolve_and_bot_again(stack: Stack, browser, scenario, complaint,
                                                           reply, question, answer) -> None:
    sc = SCENARIOS[scenario]
    pack = sc.pack_id or sc.order_id
    buyer = browser.new_page()
    buyer.goto(f"{stack.sim}/chat/{pack}")
    buyer.fill("#chat-text", complaint)
    buyer.click("#chat-form button[type=submit]")
    buyer.wait_for_selector("li.msg.buyer", timeout=15_000)

    inbox = browser.new_page()
    inbox.set_viewport_size({"width": 1280, "height": 800})
    inbox.goto(f"{stack.rasa}/webhooks/inbox/")
    inbox.fill("#token", "token-ana")  # kept in this tab's sessionStorage, sent as a Bearer header
    inbox.click("#login button[type=submit]")
    ticket = inbox.locator(".ticket", has_text=sc.item_titles[0][:20]).first
    ticket.wait_for(timeout=60_000)
    assert ticket.locator("[data-code=Complaint]").count() == 1  # shown in words, the code on hover
    ticket.click()
    inbox.wait_for_selector("#context dl", timeout=15_000)
    context = inbox.inner_text("#context")
    assert "Mercado Libre" in context and sc.item_titles[0] in context and str(pack) in context
    inbox.wait_for_selector(f"#transcript .line.buyer >> text={complaint[:20]}", timeout=15_000)

    blocked = "me passa seu whats que resolvo rapidinho" if sc.site_id == "MLB" else "pasame tu whatsapp y lo vemos"
    inbox.fill("#draft", blocked)
    inbox.click("#send")
    inbox.wait_for_selector("#error >> text=Não enviado", timeout=15_000)
    assert "telefone" in inbox.inner_text("#error")
    assert inbox.input_value("#draft") == blocked  # the draft is kept for the agent to fix
    assert buyer.locator("li.msg.seller", has_text=blocked[:15]).count() == 0

    inbox.fill("#draft", reply)
    inbox.click("#send")
    buyer.wait_for_selector(f"li.msg.seller >> text={reply[:25]}", timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    inbox.screenshot(path=str(SCREENSHOTS / f"inbox-{scenario}.png"), full_page=True)

    inbox.click("#resolve")
    inbox.wait_for_selector("#context >> text=Resolvido", timeout=15_000)
    sellers_before = buyer.locator("li.msg.seller").count()
    buyer.fill("#chat-text", question)
    buyer.click("#chat-form button[type=submit]")
    buyer.wait_for_function(f"document.querySelectorAll('li.msg.seller').length > {sellers_before}",
                            timeout=60_000)
    buyer.wait_for_selector(f"li.msg.seller >> text={answer}", timeout=30_000)
    buyer.close()
    inbox.close()
