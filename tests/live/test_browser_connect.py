"""In a real headless Chromium: an admin connects a store from the admin page (the seller allows
on the marketplace's authorization page), a seller denies, and a used callback link is refused.
Screenshots in results/screenshots/."""

from __future__ import annotations

import pytest

from testkit.stack import Stack
from tests.live.conftest import SCREENSHOTS

pytestmark = pytest.mark.slow


def _admin_page(stack: Stack, browser):
    page = browser.new_page()
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{stack.rasa}/webhooks/inbox/admin")
    page.fill("#token", "token-root")
    page.click("#login button[type=submit]")
    page.wait_for_selector("#connect:not(.hidden)", timeout=15_000)
    return page


def _start(page, seller: dict) -> None:
    page.select_option("#site", seller["site_id"])
    page.click("#connect-button")
    page.wait_for_selector("text=Autorizar aplicativo", timeout=15_000)  # the marketplace's page
    page.check(f"input[name=user_id][value='{seller['id']}']")


def test_admin_connects_a_store_in_the_browser_deny_and_reuse_refused(stack: Stack, browser) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seller = stack.sim_post("/_sim/sellers", {"count": 1, "sales": 1, "site_id": "MLA"})["sellers"][0]
    page = _admin_page(stack, browser)

    _start(page, seller)
    page.click("#deny")
    page.wait_for_selector("#result", timeout=15_000)
    assert page.get_attribute("#result", "data-ok") == "false"
    assert "did not authorise" in page.inner_text("#detail")

    page.goto(f"{stack.rasa}/webhooks/inbox/admin")
    page.wait_for_selector("#connect:not(.hidden)", timeout=15_000)
    assert page.locator(f"#store-{seller['id']}").count() == 0  # nothing stored
    _start(page, seller)
    page.click("#allow")
    page.wait_for_selector("#result", timeout=15_000)
    assert page.get_attribute("#result", "data-ok") == "true", page.inner_text("#detail")
    callback = page.url
    page.screenshot(path=str(SCREENSHOTS / "store-connected.png"))

    page.goto(callback)  # the same callback link again: its state is spent
    page.wait_for_selector("#result", timeout=15_000)
    assert page.get_attribute("#result", "data-ok") == "false"
    assert "already used" in page.inner_text("#detail")

    page.goto(f"{stack.rasa}/webhooks/inbox/admin")
    card = page.locator(f"#store-{seller['id']}")
    card.wait_for(timeout=15_000)
    assert "connected" in card.inner_text() and "MLA" in card.inner_text()
    card.locator("select[name=help_route]").select_option("agents")
    card.locator("button[type=submit]", has_text="Salvar").click()
    card.locator("text=Salvo / Guardado").wait_for(timeout=10_000)
    page.screenshot(path=str(SCREENSHOTS / "admin-stores.png"), full_page=True)
