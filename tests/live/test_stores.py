"""Many stores on one deployment, end to end: connecting a second store through the OAuth flow
(authorization page, PKCE, callback), its buyers answered with its own token in its own threads,
its settings changing the bot's routing on the next message, its agents seeing only its tickets
(every inbox route tried across stores), and a revoked store kept waiting, without touching the
other, until it connects again."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from simulator import SCENARIOS
from testkit.stack import Stack
from testkit.stores import Connection, connect_store

SEEDED = 123456789
ROOT_TOKEN = "token-root"  # an admin (testkit/stack.py INBOX_AGENTS)


def api(stack: Stack, method: str, path: str, token: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, f"{stack.rasa}/webhooks/inbox/api/{path}", json=body, timeout=30,
                         headers={"authorization": f"Bearer {token}"})


def new_store(stack: Stack, sales: int = 2) -> dict[str, Any]:
    return stack.sim_post("/_sim/sellers", {"count": 1, "sales": sales, "scenario": "shipped"})["sellers"][0]


def store_status(stack: Stack, seller: int) -> dict[str, Any]:
    found = [s for s in api(stack, "GET", "stores", ROOT_TOKEN).json()["stores"] if s["seller_id"] == seller]
    return found[0] if found else {}


def wait_until(check, seconds: float = 60, what: str = "condition") -> Any:
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def second(stack: Stack) -> dict[str, Any]:
    """A second store, connected by the admin through the whole flow."""
    seller = new_store(stack)
    page = connect_store(stack.rasa, ROOT_TOKEN, seller["id"])
    assert page.status_code == 200 and "connected" in page.text, page.text
    return seller


def test_the_seeded_store_is_connected_from_its_variables(stack: Stack) -> None:
    """The upgrade path: MELI_SELLER_ID with its token is a connected store, its agents work it."""
    seeded = store_status(stack, SEEDED)
    assert seeded["status"] == "connected" and {"ana", "bruno"} <= set(seeded["agents"])
    wait_until(lambda: store_status(stack, SEEDED)["nickname"] == "LOJA_SIMULADA", 20,
               "the nickname read from /users/me at start")
    assert store_status(stack, SEEDED)["site_id"] == "MLB"


def test_a_connected_store_answers_its_buyers_with_its_own_token(stack: Stack, second) -> None:
    assert store_status(stack, second["id"])["status"] == "connected"
    sale = second["sales"][0]
    pack = sale["pack_id"] or sale["order_id"]
    stack.buyer_writes(pack, "cade meu pedido?")
    replies = stack.wait_for_seller_messages(pack, 1, seller=second["id"])
    assert "caminho" in replies[0]["text"].lower() or "envi" in replies[0]["text"].lower(), replies[0]["text"]
    posted = [r for r in httpx.get(f"{stack.sim}/_sim/requests", params={"path": f"^/messages/packs/{pack}/sellers"},
                                   timeout=10).json() if r["method"] == "POST"]
    assert posted and all(r["path"].endswith(f"/sellers/{second['id']}") and r["status"] == 200 for r in posted)


def test_connect_errors_store_nothing(stack: Stack, second) -> None:
    other = new_store(stack, sales=0)
    denied = Connection(stack.rasa, ROOT_TOKEN)
    assert denied.start().status_code == 200
    page = denied.callback(denied.seller_decides(other["id"], allow=False))
    assert page.status_code == 400 and "did not authorise" in page.text
    assert store_status(stack, other["id"]) == {}

    used = Connection(stack.rasa, ROOT_TOKEN)
    used.start()
    url = used.seller_decides(other["id"])
    assert used.callback(url).status_code == 200
    again = used.callback(url)
    assert again.status_code == 400 and "already used" in again.text

    twice = connect_store(stack.rasa, ROOT_TOKEN, second["id"])  # already connected here
    assert twice.status_code == 400 and "already connected" in twice.text

    stranger = Connection(stack.rasa, ROOT_TOKEN)
    stranger.start()
    url = stranger.seller_decides(other["id"])
    assert httpx.get(url, timeout=10).status_code == 400  # no cookie: another browser

    lead = api(stack, "POST", "stores/connect", "token-ana", {"site_id": "MLB"})
    assert lead.status_code == 403  # only an admin connects stores
    for connection in (denied, used, stranger):
        connection.close()


def test_every_inbox_route_is_404_across_stores(stack: Stack, second) -> None:
    """ana works the seeded store only; a ticket of the second store does not exist for her."""
    sale = second["sales"][1]
    pack = sale["pack_id"] or sale["order_id"]
    stack.buyer_writes(pack, "quero falar com uma pessoa")
    conversation = f"meli-{second['id']}-{pack}"
    ticket_id = wait_until(lambda: next((t["id"] for t in api(stack, "GET", "tickets", ROOT_TOKEN).json()["tickets"]
                                         if t["conversation_id"] == conversation), None), what="the ticket")
    assert ticket_id not in {t["id"] for t in api(stack, "GET", "tickets", "token-ana").json()["tickets"]}
    routes = [("GET", f"tickets/{ticket_id}", None), ("POST", f"tickets/{ticket_id}/take", {}),
              ("POST", f"tickets/{ticket_id}/reply", {"text": "Oi"}), ("POST", f"tickets/{ticket_id}/resolve", {}),
              ("POST", f"tickets/{ticket_id}/reopen", {}),
              ("POST", f"tickets/{ticket_id}/review", {"intent": "order_status", "at": 1.0}),
              ("POST", f"stores/{second['id']}/settings", {"help_route": "agents"}),
              ("POST", f"stores/{second['id']}/agents", {"agent": "bruno", "action": "add"})]
    for method, path, body in routes:
        answer = api(stack, method, path, "token-ana", body)
        assert answer.status_code == 404, (path, answer.status_code, answer.text)
    assert second["id"] not in {s["seller_id"] for s in api(stack, "GET", "stores", "token-ana").json()["stores"]}
    assert not [m for m in stack.seller_messages(pack, second["id"]) if m["text"] == "Oi"]

    # the admin gives bruno the second store: he sees and works its ticket, and still the first's
    assert api(stack, "POST", f"stores/{second['id']}/agents", ROOT_TOKEN,
               {"agent": "bruno", "action": "add"}).status_code == 200
    assert api(stack, "GET", f"tickets/{ticket_id}", "token-bruno").status_code == 200
    assert api(stack, "POST", f"tickets/{ticket_id}/resolve", "token-bruno", {}).status_code == 200


def test_store_settings_change_routing_on_the_next_message(stack: Stack, second) -> None:
    changed = api(stack, "POST", f"stores/{second['id']}/settings", ROOT_TOKEN,
                  {"help_route": "agents", "take_within_minutes": 5})
    assert changed.status_code == 200 and changed.json()["settings"]["help_route"] == "agents"
    bad = api(stack, "POST", f"stores/{second['id']}/settings", ROOT_TOKEN, {"help_route": "nobody"})
    assert bad.status_code == 400 and "help_route" in bad.json()["detail"]
    sale = second["sales"][0]
    pack = sale["pack_id"] or sale["order_id"]
    stack.buyer_writes(pack, "qual o prazo de entrega?")
    ticket = stack.wait_for_ticket(f"meli-{second['id']}-{pack}")
    assert ticket["reason"] == "help_to_agents" and ticket["interaction_type"] == "Help"

    # the seeded store is untouched: the bot still answers its Help questions itself
    seeded = SCENARIOS["shipped"]
    seeded_pack = seeded.pack_id or seeded.order_id
    before = len(stack.seller_messages(seeded_pack))
    stack.buyer_writes(seeded_pack, "qual o prazo de entrega?")
    answer = stack.wait_for_seller_messages(seeded_pack, before + 1)[-1]["text"]
    assert "pessoa" not in answer.lower() and "atendente" not in answer.lower(), answer
    api(stack, "POST", f"stores/{second['id']}/settings", ROOT_TOKEN, {"help_route": None})


def test_a_revoked_store_waits_and_the_other_does_not(stack: Stack) -> None:
    third = new_store(stack)
    assert connect_store(stack.rasa, ROOT_TOKEN, third["id"]).status_code == 200
    sale = third["sales"][0]
    pack = sale["pack_id"] or sale["order_id"]
    stack.sim_post(f"/_sim/sellers/{third['id']}/revoke")  # the seller removed the app
    stack.buyer_writes(pack, "cade meu pedido?")
    wait_until(lambda: store_status(stack, third["id"]).get("status") == "disconnected", what="disconnected")
    assert "connect the store again" in store_status(stack, third["id"])["status_detail"]

    seeded = SCENARIOS["delivered"] if "delivered" in SCENARIOS else SCENARIOS["shipped"]
    seeded_pack = seeded.pack_id or seeded.order_id
    before = len(stack.seller_messages(seeded_pack))
    stack.buyer_writes(seeded_pack, "ja foi enviado?")
    stack.wait_for_seller_messages(seeded_pack, before + 1)  # the other store is answered meanwhile

    stack.buyer_writes(pack, "alguem ai?")  # kept, not answered, not failed
    time.sleep(2)
    rows = [r for r in stack.intake_rows() if r["seller_id"] == third["id"]]
    assert len(rows) == 2 and {r["status"] for r in rows} == {"pending"}, rows
    assert stack.seller_messages(pack, third["id"]) == []

    page = connect_store(stack.rasa, ROOT_TOKEN, third["id"])  # connected again
    assert page.status_code == 200 and "again" in page.text
    replies = stack.wait_for_seller_messages(pack, 2, seller=third["id"])
    assert len(replies) >= 2
    wait_until(lambda: {r["status"] for r in stack.intake_rows() if r["seller_id"] == third["id"]} == {"done"},
               what="the kept notifications done")
