"""The simulator behaving like the marketplace towards a seller's bot: notification push with
retries, duplicates and missed feeds (reference §1), the post-sale thread rules (§2) and the
buyer chat page. A second aiohttp server plays the bot's webhook so every delivery is observed."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestClient, TestServer

from simulator import ACCESS_TOKEN, SCENARIOS, create_app
from simulator.constants import APP_ID, SELLER_ID

AUTH = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
NEW_FORMAT = {**AUTH, "x-format-new": "true"}
ROOT = Path(__file__).resolve().parents[2]
FAST = [0.01] * 7
PAYLOAD_KEYS = {"_id", "resource", "user_id", "topic", "actions", "application_id", "attempts", "sent", "received"}


class Receiver:
    """A fake bot webhook: records each POST and answers from a script (then `default`)."""

    def __init__(self, script: list[int] | None = None, default: int = 200, delay: float = 0.0) -> None:
        self.script = list(script or [])
        self.default = default
        self.delay = delay
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.on_delivery: Callable[[dict[str, Any]], Any] | None = None

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        self.headers.append(dict(request.headers))
        if self.delay:
            await asyncio.sleep(self.delay)
        status = self.script.pop(0) if self.script else self.default
        if status == 200 and self.on_delivery is not None:
            await self.on_delivery(body)
        return web.Response(status=status, text="ok" if status == 200 else "webhook down")


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app())) as test_client:
        yield test_client


async def start_receiver(receiver: Receiver) -> TestServer:
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


@pytest.fixture
async def hook() -> AsyncIterator[Callable[..., Any]]:
    """`await hook(script, ...)` → (Receiver, callback URL); servers are closed afterwards."""
    servers: list[TestServer] = []

    async def make(script: list[int] | None = None, **kwargs: Any) -> tuple[Receiver, str]:
        receiver = Receiver(script, **kwargs)
        server = await start_receiver(receiver)
        servers.append(server)
        return receiver, str(server.make_url("/hook"))

    yield make
    for server in servers:
        await server.close()


async def configure(client: TestClient, url: str | None, **extra: Any) -> dict[str, Any]:
    resp = await client.post("/_sim/config", json={"callback_url": url, "retry_delays": FAST, **extra})
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def settle(client: TestClient, timeout: float = 5.0) -> None:
    """Wait until the simulator has no notification in flight."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (await (await client.get("/_sim/notifications/status")).json())["pending"]:
        assert loop.time() < deadline, "notifications still pending"
        await asyncio.sleep(0.01)


async def buyer_says(client: TestClient, pack_id: int, text: str) -> dict[str, Any]:
    resp = await client.post("/_sim/buyer_messages", json={"pack_id": pack_id, "text": text})
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def attempts(client: TestClient, **query: str) -> list[dict[str, Any]]:
    return await (await client.get("/_sim/notifications", params=query)).json()


def free_port() -> int:
    """A port nothing listens on (so deliveries to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reply(text: str, to: int) -> dict[str, Any]:
    return {"from": {"user_id": str(SELLER_ID)}, "to": {"user_id": str(to)}, "text": text}


def messages_path(pack_id: int) -> str:
    return f"/messages/packs/{pack_id}/sellers/{SELLER_ID}?tag=post_sale"


# --- notification push -----------------------------------------------------------------------

async def test_buyer_message_pushes_a_messages_notification(client: TestClient, hook: Any) -> None:
    receiver, url = await hook()
    await configure(client, url)
    created = await buyer_says(client, SCENARIOS["shipped"].pack_id, "Cadê meu pedido?")
    assert created["notification_queued"] is True
    await settle(client)
    [note] = receiver.received
    assert set(note) == PAYLOAD_KEYS
    assert note["resource"] == created["id"] and note["topic"] == "messages" and note["actions"] == ["created"]
    assert (note["user_id"], note["application_id"], note["attempts"]) == (SELLER_ID, APP_ID, 1)
    assert note["sent"].endswith("Z") and note["received"].endswith("Z") and note["received"] <= note["sent"]
    assert note["_id"] == created["notification"]["_id"]
    assert receiver.headers[0]["Content-Type"] == "application/json"
    [row] = await attempts(client)
    assert {k: row[k] for k in ("_id", "topic", "resource", "attempt", "http_code")} == {
        "_id": note["_id"], "topic": "messages", "resource": created["id"], "attempt": 1, "http_code": 200}
    assert isinstance(row["req_time_ms"], int) and row["at"].endswith("Z")
    msg = await (await client.get(f"/messages/{note['resource']}?tag=post_sale", headers=AUTH)).json()
    assert msg["text"]["plain"] == "Cadê meu pedido?"


async def test_without_callback_nothing_is_queued(client: TestClient) -> None:
    created = await buyer_says(client, SCENARIOS["shipped"].pack_id, "Oi")
    assert created["notification_queued"] is False and await attempts(client) == []


async def test_non_200_is_retried_with_increasing_attempts(client: TestClient, hook: Any) -> None:
    receiver, url = await hook([500, 500, 200])
    await configure(client, url)
    await buyer_says(client, SCENARIOS["shipped"].pack_id, "Oi?")
    await settle(client)
    assert [n["attempts"] for n in receiver.received] == [1, 2, 3]
    assert len({n["_id"] for n in receiver.received}) == 1
    assert [(r["attempt"], r["http_code"]) for r in await attempts(client)] == [(1, 500), (2, 500), (3, 200)]
    feeds = await (await client.get("/missed_feeds", params={"app_id": str(APP_ID)}, headers=AUTH)).json()
    assert feeds == {"messages": []}


async def test_lost_after_8_attempts_and_listed_in_missed_feeds(client: TestClient, hook: Any) -> None:
    receiver, url = await hook(default=503)
    await configure(client, url)
    created = await buyer_says(client, SCENARIOS["late"].pack_id, "Atrasou!")
    await settle(client)
    assert [n["attempts"] for n in receiver.received] == list(range(1, 9))
    resp = await client.get("/missed_feeds", params={"app_id": str(APP_ID), "topic": "messages"}, headers=AUTH)
    assert resp.status == 200
    [feed] = (await resp.json())["messages"]
    assert set(feed) == {"_id", "resource", "user_id", "topic", "application_id", "attempts", "sent", "received",
                         "request", "response"}
    assert (feed["resource"], feed["topic"], feed["attempts"]) == (created["id"], "messages", 8)
    assert feed["request"]["url"] == url and json.loads(feed["request"]["data"]) == receiver.received[-1]
    assert set(feed["request"]["headers"]) >= {"Content-Type"}
    assert feed["response"]["http_code"] == 503 and feed["response"]["body"] == "webhook down"
    assert isinstance(feed["response"]["req_time"], int) and isinstance(feed["response"]["headers"], dict)


async def test_missed_feeds_filters_pages_and_checks_app_id(client: TestClient, hook: Any) -> None:
    _, url = await hook(default=500)
    await configure(client, url)
    for resource in ("/questions/1", "/questions/2", "/orders/3"):
        await client.post("/_sim/notify", json={"topic": resource.split("/")[1], "resource": resource})
    await settle(client)
    base = {"app_id": str(APP_ID)}
    get = client.get
    everything = (await (await get("/missed_feeds", params=base, headers=AUTH)).json())["messages"]
    assert [m["resource"] for m in everything] == ["/questions/1", "/questions/2", "/orders/3"]
    page = await (await get("/missed_feeds", params={**base, "topic": "questions", "offset": "1", "limit": "5"},
                            headers=AUTH)).json()
    assert [m["resource"] for m in page["messages"]] == ["/questions/2"]
    wrong = await get("/missed_feeds", params={"app_id": "42"}, headers=AUTH)
    assert wrong.status == 403 and set(await wrong.json()) == {"message", "error", "status", "cause"}
    missing = await get("/missed_feeds", headers=AUTH)
    assert missing.status == 400 and (await missing.json())["error"] == "bad_request"
    assert (await get("/missed_feeds", params=base)).status == 401


async def test_timeouts_and_refused_connections_count_as_failures(client: TestClient, hook: Any) -> None:
    receiver, url = await hook(delay=0.3)
    await configure(client, url, timeout_seconds=0.05)
    await client.post("/_sim/notify", json={"topic": "orders_v2", "resource": "/orders/1"})
    await asyncio.sleep(0.05)
    receiver.delay = 0.0
    await settle(client)
    rows = await attempts(client)
    assert rows[0]["http_code"] == 0 and rows[0]["error"] == "timeout" and rows[-1]["http_code"] == 200
    await configure(client, f"http://127.0.0.1:{free_port()}/hook")
    await client.post("/_sim/notify", json={"topic": "orders_v2", "resource": "/orders/2"})
    await settle(client)
    feed = (await (await client.get("/missed_feeds", params={"app_id": str(APP_ID)}, headers=AUTH)).json())
    assert [(m["resource"], m["response"]["http_code"]) for m in feed["messages"]] == [("/orders/2", 0)]


async def test_duplicate_rate_delivers_the_same_id_twice(client: TestClient, hook: Any) -> None:
    receiver, url = await hook()
    await configure(client, url, duplicate_rate=1.0)
    await buyer_says(client, SCENARIOS["shipped"].pack_id, "Oi")
    await settle(client)
    assert len(receiver.received) == 2 and receiver.received[0]["_id"] == receiver.received[1]["_id"]
    assert [r["duplicate"] for r in await attempts(client)] == [False, True]


async def test_claim_notification(client: TestClient, hook: Any) -> None:
    receiver, url = await hook()
    await configure(client, url)
    claim_id = SCENARIOS["open_claim"].claim_id
    resp = await client.post(f"/_sim/claims/{claim_id}/notify")
    assert resp.status == 202 and (await resp.json())["queued"] is True
    await client.post(f"/_sim/claims/{claim_id}/notify", json={"action": "claims_actions"})
    assert (await client.post("/_sim/claims/1/notify")).status == 404
    await settle(client)
    assert [(n["topic"], n["resource"], n["actions"]) for n in receiver.received] == [
        ("post_purchase", f"/post-purchase/v1/claims/{claim_id}", ["claims"]),
        ("post_purchase", f"/post-purchase/v1/claims/{claim_id}", ["claims_actions"])]
    claim = await client.get(receiver.received[0]["resource"], headers=AUTH)
    assert claim.status == 200 and (await claim.json())["id"] == claim_id


async def test_arbitrary_notification_and_id_key(client: TestClient, hook: Any) -> None:
    receiver, url = await hook()
    await configure(client, url, id_key="id")
    await client.post("/_sim/notify", json={"topic": "questions", "resource": "/questions/5036111111",
                                            "application_id": 1})
    await settle(client)
    [note] = receiver.received
    assert "id" in note and "_id" not in note and "actions" not in note
    assert (note["topic"], note["application_id"], note["user_id"]) == ("questions", 1, SELLER_ID)
    assert (await client.post("/_sim/notify", json={"topic": "x"})).status == 400


async def test_config_validation_and_reset(client: TestClient, hook: Any) -> None:
    _, url = await hook()
    for bad in ({"callback_url": "ftp://x"}, {"retry_delays": []}, {"retry_delays": [1] * 8},
                {"duplicate_rate": 2}, {"timeout_seconds": 0}, {"nope": 1}, {"id_key": "uuid"}):
        assert (await client.post("/_sim/config", json=bad)).status == 400, bad
    config = await configure(client, url)
    assert config["max_attempts"] == 8 and config["retry_delays"] == FAST
    await buyer_says(client, SCENARIOS["shipped"].pack_id, "Oi")
    await settle(client)
    await client.post("/_sim/reset")
    assert await attempts(client) == []
    assert (await (await client.get("/_sim/config")).json())["callback_url"] == url


async def test_webhook_driven_bot_round_trip(client: TestClient, hook: Any) -> None:
    """What a bot does on a notification: GET the message, then reply in the pack's thread."""
    receiver, url = await hook()
    scenario = SCENARIOS["shipped_mla"]

    async def bot(note: dict[str, Any]) -> None:
        msg = await (await client.get(f"/messages/{note['resource']}?tag=post_sale", headers=NEW_FORMAT)).json()
        [message] = msg["messages"]
        pack = next(r["id"] for r in message["message_resources"] if r["name"] == "packs")
        resp = await client.post(messages_path(int(pack)), json=reply("Ya salió, llega mañana.",
                                                                      message["from"]["user_id"]), headers=AUTH)
        assert resp.status == 200

    receiver.on_delivery = bot
    await configure(client, url)
    await buyer_says(client, scenario.pack_id, "¿Cuándo llega?")
    await settle(client)
    thread = await (await client.get(f"/_sim/conversations/{scenario.pack_id}")).json()
    assert [m["text"] for m in thread["messages"]][-2:] == ["¿Cuándo llega?", "Ya salió, llega mañana."]


# --- post-sale thread rules ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Me liga no (11) 98765-4321", "Escreve pra loja@exemplo.com.br"])
async def test_seller_post_with_contact_data_is_moderated(client: TestClient, text: str) -> None:
    scenario = SCENARIOS["shipped"]
    resp = await client.post(messages_path(scenario.pack_id), json=reply(text, scenario.buyer_id), headers=AUTH)
    assert resp.status == 200
    sent = await resp.json()
    assert sent["status"] == "moderated"
    moderation = sent["message_moderation"]
    assert moderation["status"] == "rejected" and moderation["reason"] == "PERSONAL_DATA"
    thread = await (await client.get(f"/_sim/conversations/{scenario.pack_id}")).json()
    assert thread["messages"][-1]["id"] == sent["id"] and thread["messages"][-1]["status"] == "moderated"
    legacy = await (await client.get(f"/messages/{sent['id']}?tag=post_sale", headers=AUTH)).json()
    assert legacy["status"] == "moderated" and legacy["moderation"]["status"] == "rejected"
    listed = await (await client.get(messages_path(scenario.pack_id), headers=AUTH)).json()
    assert [m["from"]["user_id"] for m in listed["messages"]] == [SELLER_ID, scenario.buyer_id]


async def test_351_characters_is_rejected(client: TestClient) -> None:
    scenario = SCENARIOS["shipped"]
    resp = await client.post(messages_path(scenario.pack_id), json=reply("é" * 351, scenario.buyer_id), headers=AUTH)
    assert resp.status == 400
    assert await resp.json() == {"status_code": 400, "code": "bad_request",
                                 "message": "The message content is too long, max characters allowed are 350"}


@pytest.mark.parametrize("text", ["Obrigado 🤖", "Pedido enviado 🛵", "Olá — tudo bem?", "谢谢"])
async def test_characters_outside_latin1_are_rejected(client: TestClient, text: str) -> None:
    scenario = SCENARIOS["shipped"]
    resp = await client.post(messages_path(scenario.pack_id), json=reply(text, scenario.buyer_id), headers=AUTH)
    assert resp.status == 400
    assert await resp.json() == {"status_code": 400, "code": "bad_request",
                                 "message": "The text has character/s that is/are not supported."}
    thread = await (await client.get(f"/_sim/conversations/{scenario.pack_id}")).json()
    assert all(m["from"]["user_id"] != SELLER_ID for m in thread["messages"])


async def test_blocked_conversation_refuses_seller_posts(client: TestClient) -> None:
    scenario = SCENARIOS["shipped"]
    resp = await client.post(f"/_sim/conversations/{scenario.pack_id}/status",
                             json={"status": "blocked", "substatus": "blocked_by_mediation"})
    assert resp.status == 200
    resp = await client.post(messages_path(scenario.pack_id), json=reply("Oi", scenario.buyer_id), headers=AUTH)
    assert resp.status == 403
    assert await resp.json() == {"status_code": 403, "code": "forbidden",
                                 "message": "blocked_conversation_send_message_forbidden"}


# --- buyer chat page -------------------------------------------------------------------------

async def test_chat_index_lists_every_scenario(client: TestClient) -> None:
    resp = await client.get("/chat")
    assert resp.status == 200 and resp.content_type == "text/html"
    page = await resp.text()
    for name, scenario in SCENARIOS.items():
        assert f'href="/chat/{scenario.pack_id or scenario.order_id}"' in page and name in page
    assert "https://" not in page and "http://" not in page


async def test_chat_page_posts_as_buyer_and_shows_the_thread(client: TestClient) -> None:
    scenario = SCENARIOS["paid_not_shipped"]  # no pack: the order id stands in
    resp = await client.get(f"/chat/{scenario.order_id}")
    assert resp.status == 200
    page = await resp.text()
    assert '<form id="chat-form"' in page and "/_sim/buyer_messages" in page and "textContent" in page
    assert f"/_sim/conversations/{scenario.order_id}" in page and 'lang="pt-BR"' in page and "Enviar" in page
    assert "<script src" not in page and "https://" not in page
    spanish = await (await client.get(f"/chat/{SCENARIOS['shipped_mla'].pack_id}")).text()
    assert 'lang="es"' in spanish and "Escribe tu mensaje" in spanish
    assert (await client.get("/chat/1")).status == 404
    await buyer_says(client, scenario.order_id, "<b>Oi</b> & tchau")
    thread = await (await client.get(f"/_sim/conversations/{scenario.order_id}")).json()
    assert thread["messages"][-1]["text"] == "<b>Oi</b> & tchau"
    log = await (await client.get("/_sim/requests")).json()
    assert not any(e["path"].startswith("/chat") for e in log)


# --- command line ----------------------------------------------------------------------------

async def test_python_dash_m_prints_chat_url_and_callback() -> None:
    port, hook_url = free_port(), f"http://127.0.0.1:{free_port()}/webhooks/mercadolibre"
    env = {**os.environ, "SIM_CALLBACK_URL": hook_url}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", str(port),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, env=env)
    try:
        assert proc.stdout is not None
        lines = [(await asyncio.wait_for(proc.stdout.readline(), timeout=30)).decode().strip() for _ in range(3)]
        assert lines == [f"Mercado Libre simulator on http://127.0.0.1:{port}",
                         f"Buyer chat on http://127.0.0.1:{port}/chat",
                         f"Notifications to {hook_url}"]
        async with ClientSession() as session:  # a retry in back-off must not delay the shutdown
            resp = await session.post(f"http://127.0.0.1:{port}/_sim/notify", json={"topic": "x", "resource": "/x"})
            assert (await resp.json())["queued"] is True
        await asyncio.sleep(0.2)
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), timeout=10)
