"""The lead's dashboard, templates and the agent's language, through the running Rasa server;
the dashboard and the queue in headless Chromium, in Portuguese and Spanish, with screenshots
under results/screenshots/."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from testkit.stack import Stack
from tests.live.conftest import SCREENSHOTS

pytestmark = pytest.mark.slow
LEAD, AGENT, ADMIN = "token-lia", "token-ana", "token-root"
SELLER = 123456789


def api(stack: Stack, method: str, path: str, token: str, body: dict | None = None) -> httpx.Response:
    return httpx.request(method, f"{stack.rasa}/webhooks/inbox/api/{path}", json=body, timeout=20,
                         headers={"Authorization": f"Bearer {token}"})


def test_the_dashboard_is_for_leads_of_their_own_stores(stack: Stack) -> None:
    stack.buyer_writes(_delivered_pack(stack), "o produto chegou quebrado!!")
    for section in ("conversations", "handoffs", "times", "claims", "nlu", "guard"):
        answer = api(stack, "GET", f"dashboard/{section}", LEAD)
        assert answer.status_code == 200, answer.text
        assert answer.json()["elapsed_ms"] < 500
    assert api(stack, "GET", "dashboard/handoffs", AGENT).status_code == 403
    assert api(stack, "GET", "dashboard/handoffs?store=999", LEAD).status_code == 404
    assert api(stack, "GET", "dashboard/handoffs?from=2026-13-01", LEAD).json()["error"] == "invalid_period"
    assert api(stack, "GET", "dashboard/secrets", LEAD).status_code == 404
    mine = api(stack, "GET", f"dashboard/conversations?store={SELLER}", LEAD).json()
    assert mine["totals"]["conversations"] >= 1 and mine["tracker"] is True
    table = api(stack, "GET", f"dashboard/handoffs?store={SELLER}&format=csv", ADMIN)
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert {"reason", "interaction_type", "tickets"} <= set(rows[0])


def _delivered_pack(stack: Stack) -> int:
    """A sale of its own: a complaint pauses the bot, which a seeded sale other tests use must not be."""
    sale = stack.sim_post("/_sim/sales/clone", {"scenario": "delivered", "count": 1})["sales"][0]
    return sale["pack_id"] or sale["order_id"]


def test_templates_pass_the_guard_when_saved_and_the_language_is_remembered(stack: Stack) -> None:
    refused = api(stack, "POST", "templates", LEAD, {"store": SELLER, "language": "pt", "title": "Contato",
                                                      "text": "Me passa seu whatsapp que eu resolvo"})
    assert refused.status_code == 422 and refused.json()["kind"]
    saved = api(stack, "POST", "templates", LEAD, {"store": SELLER, "language": "pt", "title": "Troca",
                                                    "text": "Pode abrir a devolução pelo Mercado Livre, é grátis."})
    assert saved.status_code == 201
    assert api(stack, "POST", "templates", AGENT, {"store": SELLER, "language": "pt", "title": "x",
                                                    "text": "y"}).status_code == 403
    assert api(stack, "POST", "templates", LEAD, {"store": 999, "language": "pt", "title": "x",
                                                   "text": "y"}).status_code == 404
    listed = api(stack, "GET", "templates", AGENT).json()["templates"]
    assert "Troca" in [t["title"] for t in listed] and "Contato" not in [t["title"] for t in listed]
    assert api(stack, "POST", "me", AGENT, {"language": "es"}).json()["language"] == "es"
    assert api(stack, "GET", "me", AGENT).json()["language"] == "es"
    assert api(stack, "POST", "me", AGENT, {"language": "fr"}).status_code == 400
    api(stack, "POST", "me", AGENT, {"language": "pt"})
    assert api(stack, "GET", "words?lang=es", AGENT).json()["reason"]["complaint_damaged"].startswith("Producto")


@pytest.mark.parametrize("lang, title, containment", [
    ("pt", "Conversas e contenção", "resolvidas só pelo bot"),
    ("es", "Conversaciones y contención", "resueltas solo por el bot")])
def test_the_dashboard_in_chromium(stack: Stack, browser, lang, title, containment) -> None:
    api(stack, "POST", "me", LEAD, {"language": lang})
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("favicon.ico") else None)
    page.goto(f"{stack.rasa}/webhooks/inbox/dashboard")
    page.fill("#token", LEAD)
    page.click("#login button[type=submit]")
    for section in ("conversations", "handoffs", "times", "claims", "nlu", "guard"):
        page.wait_for_selector(f"#s-{section}[data-loaded=yes]", timeout=20_000)
    text = page.inner_text("#grid")
    assert title in text and containment in text
    assert page.locator("#s-conversations svg rect").count() >= 2  # the daily bars are drawn
    with page.expect_download() as download:
        page.click("#s-handoffs button.csv")
    assert download.value.suggested_filename == "dashboard-handoffs.csv"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{lang}.png"), full_page=True)
    assert not errors, errors
    page.close()


def test_a_lead_adds_templates_in_the_page_and_the_guard_refuses_one(stack: Stack, browser) -> None:
    page = browser.new_page()
    page.goto(f"{stack.rasa}/webhooks/inbox/admin")
    page.fill("#token", LEAD)
    page.click("#login button[type=submit]")
    form = page.locator(f"#store-{SELLER} form.template-form")
    form.wait_for(timeout=15_000)
    form.locator("input").fill("Pix")
    form.locator("textarea").fill("me manda seu email que te passo o pix")
    form.locator("button[type=submit]").click()
    form.locator("[role=alert].error").wait_for(timeout=10_000)
    assert "e-mail" in form.locator("[role=alert]").inner_text()
    form.locator("input").fill("Prazo")
    form.locator("textarea").fill("O prazo de entrega aparece em Minhas compras, no Mercado Livre.")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#store-{SELLER} .templates li >> text=Prazo", timeout=10_000)
    titles = [t["title"] for t in api(stack, "GET", "templates", AGENT).json()["templates"]]
    assert "Prazo" in titles and "Pix" not in titles
    page.close()
