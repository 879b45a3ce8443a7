"""Stores as tenants, without servers: fair turns and claims across stores, the connect flow's
state, per-store settings, the upgrade of an older database, and the simulator's PKCE."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from connectors.mercadolibre.fair_slots import FairSlots
from connectors.mercadolibre.intake import Intake
from connectors.mercadolibre.notification import Notification
from postsale import agents, oauth_state, stores, tickets
from postsale.db import get_engine
from simulator.constants import CLIENT_ID, CLIENT_SECRET


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'stores.db'}"
    monkeypatch.setenv("MELI_DB_URL", url)
    monkeypatch.setenv("RASA_ENDPOINTS", str(tmp_path / "none.yml"))
    return url


def note(seller: int, n: int) -> Notification:
    return Notification(topic="messages", resource=f"s{seller}m{n}", user_id=seller, application_id=5551234,
                        notification_id=None, attempts=1, sent=None)


# --- fairness ------------------------------------------------------------------------------------
async def test_a_quiet_store_gets_the_next_slot_after_a_burst() -> None:
    slots = FairSlots(1)
    order: list[str] = []

    async def turn(store: int, name: str) -> None:
        async with slots.slot(store):
            order.append(name)
            await asyncio.sleep(0)

    await slots.acquire(0)  # a turn is running: everything below waits
    tasks = [asyncio.create_task(turn(1, f"burst{i}")) for i in range(50)]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(turn(2, "quiet")))
    await asyncio.sleep(0)
    slots.release()
    await asyncio.gather(*tasks)
    assert order.index("quiet") <= 1  # not behind the 50 turns of the burst that came first
    assert order.index("burst1") > order.index("burst0")  # each store's own order kept


async def test_a_cancelled_waiter_does_not_lose_the_slot() -> None:
    slots = FairSlots(1)
    await slots.acquire(1)
    waiting = asyncio.create_task(slots.acquire(2))
    await asyncio.sleep(0)
    waiting.cancel()
    slots.release()
    await asyncio.wait_for(slots.acquire(3), 1)  # the slot came back


def test_the_claim_takes_each_stores_oldest_first_and_skips_paused_stores(db: str) -> None:
    intake = Intake(get_engine(db), worker_id="w")
    intake.add_many([note(1, n) for n in range(30)] + [note(2, 0)] + [note(3, 0)])
    claimed = intake.claim(5)
    assert {row.seller_id for row in claimed} == {1, 2, 3}  # 30 older rows of store 1 did not fill the batch
    with intake.engine.connect() as conn:
        oldest = list(conn.execute(text("select id from meli_notifications where seller_id = 1 order by id limit 3"))
                      .scalars())
    assert [row.id for row in claimed if row.seller_id == 1] == oldest  # its own order kept
    intake.add_many([note(4, 0)])
    assert all(row.seller_id != 4 for row in intake.claim(50, paused={4}))


# --- the connect flow's state -------------------------------------------------------------------
def test_a_state_works_once_in_its_browser_and_not_after_ten_minutes(db: str) -> None:
    started = oauth_state.start("root", "MLB", now=1000.0)
    verifier_hash = base64.urlsafe_b64encode(hashlib.sha256(b"x").digest())  # shape only
    assert len(started.challenge) == len(verifier_hash.rstrip(b"="))
    with pytest.raises(oauth_state.StateError, match=oauth_state.OTHER_BROWSER):
        oauth_state.use(started.state, "another-browser", now=1001.0)
    pending = oauth_state.use(started.state, started.binding, now=1001.0)
    assert (pending.admin, pending.site_id) == ("root", "MLB")
    assert oauth_state.challenge_of(pending.verifier) == started.challenge
    with pytest.raises(oauth_state.StateError, match=oauth_state.REUSED):
        oauth_state.use(started.state, started.binding, now=1002.0)
    late = oauth_state.start("root", "MLA", now=2000.0)
    with pytest.raises(oauth_state.StateError, match=oauth_state.EXPIRED):
        oauth_state.use(late.state, late.binding, now=2000.0 + oauth_state.STATE_SECONDS + 1)
    with pytest.raises(oauth_state.StateError, match=oauth_state.UNKNOWN):
        oauth_state.use("made-up", late.binding)


# --- per-store settings and agents ---------------------------------------------------------------
def test_store_settings_override_the_defaults_and_are_checked(db: str) -> None:
    stores.connect(11, "LOJA_A", "MLB", "root")
    stores.connect(22, "TIENDA_B", "MLA", "root")
    stores.update_settings(11, {"help_route": "agents", "data_requests": ["name"], "take_within_minutes": 5,
                                "business_hours": {"timezone": "America/Sao_Paulo", "days": ["mon"],
                                                   "open": "08:00", "close": "12:00"},
                                "webhook_url": "https://crm.example.com/hook", "webhook_secret": "s" * 20},
                           production=True)
    a, b = stores.handoff_for(11), stores.handoff_for(22)
    assert (a.help_route, a.data_requests, a.take_within_minutes, a.webhook_secret) == ("agents", ("name",), 5.0,
                                                                                         "s" * 20)
    assert a.business_hours is not None and a.business_hours.open == "08:00"
    assert (b.help_route, b.webhook_url) == ("bot", None)  # the other store keeps the defaults
    assert "s" * 20 not in json.dumps(stores.get(11).as_json())  # never shown, stored sealed
    stores.update_settings(11, {"help_route": None})
    assert stores.handoff_for(11).help_route == "bot"  # back to the default
    for bad in ({"help_route": "robots"}, {"take_within_minutes": -1}, {"data_requests": "name"},
                {"business_hours": {"timezone": "Mars/Base"}}, {"webhook_url": "http://127.0.0.1:5005/x"},
                {"webhook_url": "https://user:pw@example.com"}, {"nope": 1}):
        with pytest.raises(stores.StoreError):
            stores.update_settings(11, bad, production=True)


def test_tickets_are_scoped_by_store(db: str) -> None:
    base = {"channel": "mercadolibre", "interaction_type": "Help", "reason": "request_human", "transcript": []}
    tickets.save({**base, "id": "a", "conversation_id": "meli-11-1"})
    tickets.save({**base, "id": "b", "conversation_id": "meli-22-2"})
    tickets.save({**base, "id": "r", "conversation_id": "rest-buyer", "channel": "rest"})
    assert {t["id"] for t in tickets.queue({11})} == {"a", "r"}
    assert {t["id"] for t in tickets.queue(None)} == {"a", "b", "r"}
    assert tickets.get("b", {11}) is None and tickets.get("b", {22})["seller_id"] == 22


def test_an_older_database_is_upgraded_and_its_agents_get_the_configured_store(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("MELI_DB_URL", url)
    old = create_engine(url)
    with old.begin() as conn:  # the handoff_tickets of the release before stores
        conn.execute(text("CREATE TABLE handoff_tickets (id VARCHAR(64) PRIMARY KEY, conversation_id VARCHAR(128) "
                          "NOT NULL, channel VARCHAR(32), origin VARCHAR(64), interaction_type VARCHAR(16) NOT NULL, "
                          "reason VARCHAR(64) NOT NULL, reasons TEXT NOT NULL, language VARCHAR(8), priority INTEGER "
                          "NOT NULL, status VARCHAR(16) NOT NULL, assignee VARCHAR(64), body TEXT NOT NULL, "
                          "created_at FLOAT NOT NULL, updated_at FLOAT NOT NULL, resolved_at FLOAT)"))
        conn.execute(text("INSERT INTO handoff_tickets VALUES ('t1', 'meli-123-456', 'mercadolibre', NULL, 'Help', "
                          "'request_human', '[]', 'pt', 2, 'open', NULL, '{}', 1, 1, NULL)"))
    old.dispose()
    agents.add("ana", token="t" * 40)
    assert stores.seed_configured(123) and not stores.seed_configured(123)
    assert stores.stores_of("ana") == {123} and stores.get(123).connected
    assert tickets.get("t1", {123})["seller_id"] == 123  # the new column, filled from the conversation id


# --- the simulator's authorization code with PKCE ----------------------------------------------
async def test_the_simulator_checks_the_pkce_verifier_and_the_redirect_uri(simulator) -> None:
    admin = simulator.admin
    seller = (await admin.post("/_sim/sellers", json={"count": 1, "sales": 0})).json()["sellers"][0]
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    form = {"client_id": CLIENT_ID, "redirect_uri": "http://127.0.0.1:1/cb", "state": "s1", "decision": "allow",
            "code_challenge": challenge, "code_challenge_method": "S256", "user_id": str(seller["id"])}

    async def code() -> str:
        answer = await admin.post("/authorization", data=form, follow_redirects=False)
        assert answer.status_code == 302 and "state=s1" in answer.headers["location"]
        return answer.headers["location"].split("code=")[1].split("&")[0]

    def exchange(code: str, verifier: str, redirect: str = form["redirect_uri"]) -> dict:
        return {"grant_type": "authorization_code", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "code": code, "redirect_uri": redirect, "code_verifier": verifier}

    wrong = await admin.post("/oauth/token", data=exchange(await code(), "w" * 50))
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    moved = await admin.post("/oauth/token", data=exchange(await code(), verifier, "http://evil.example/cb"))
    assert moved.status_code == 400
    issued = await code()
    tokens = (await admin.post("/oauth/token", data=exchange(issued, verifier))).json()
    assert tokens["user_id"] == seller["id"]
    again = await admin.post("/oauth/token", data=exchange(issued, verifier))
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"  # single use
    me = await admin.get("/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.json()["id"] == seller["id"]
    seeded_order = "/orders/2000010000000201"
    other = await admin.get(seeded_order, headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert other.status_code == 403  # the seeded store's sale is not this seller's
