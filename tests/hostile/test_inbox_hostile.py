"""The agent inbox as an outsider, a curious colleague and a forging web page see it.

The real inbox channel in Rasa's own app (Sanic's ASGI client), a real SQLite ticket store and
agent table; Rasa's agent is replaced by an in-memory tracker store, so what a refused request
would have changed (ticket rows, the conversation's events) is checked after each try."""

from __future__ import annotations

import base64
import logging
import time

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.run import configure_app
from rasa.shared.core.trackers import DialogueStateTracker

from connectors.inbox import InboxInput
from postsale import agents, settings, tickets


class FakeRasa:
    """What the inbox uses of Rasa's agent: trackers under the lock store."""

    def __init__(self) -> None:
        self.lock_store = InMemoryLockStore()
        self.processor = self
        self.trackers: dict[str, DialogueStateTracker] = {}

    async def get_tracker(self, conversation: str) -> DialogueStateTracker:
        return self.trackers.setdefault(conversation, DialogueStateTracker(conversation, []))

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        self.trackers[tracker.sender_id] = tracker


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    monkeypatch.setenv("MELI_DB_URL", f"sqlite:///{tmp_path / 'inbox.db'}")
    monkeypatch.setenv("RASA_ENDPOINTS", str(tmp_path / "none.yml"))
    monkeypatch.setenv("REVIEW_QUEUE_PATH", str(tmp_path / "review.jsonl"))
    monkeypatch.delenv("INBOX_AGENTS", raising=False)
    settings.reset()
    tokens = {"ana": agents.add("ana"), "bruno": agents.add("bruno"), "lea": agents.add("lea", agents.LEAD),
              "old": agents.add("old", expires_days=1e-9), "gone": agents.add("gone")}
    agents.revoke("gone")
    for ticket_id, conversation in (("t-open", "c1"), ("t-bruno", "c2"), ("t-done", "c3")):
        tickets.save({"id": ticket_id, "conversation_id": conversation, "channel": "rest", "origin": "REST",
                      "interaction_type": "Complaint", "reason": "complaint_damaged", "transcript": []})
    tickets.update("t-bruno", status="assigned", assignee="bruno")
    tickets.update("t-done", status="resolved", assignee="bruno", resolved_at=time.time())
    app = configure_app([InboxInput.from_credentials(None)], port=5004)
    app.ctx.agent = FakeRasa()
    return app, tokens


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def call(app, method: str, path: str, headers: dict | None = None, **kwargs):
    if method == "get":
        kwargs.pop("json", None)
    _, answer = await getattr(app.asgi_client, method)(f"/webhooks/inbox/{path}", headers=headers or {}, **kwargs)
    return answer


def state() -> dict:
    return {t: (tickets.get(t)["status"], tickets.get(t)["assignee"]) for t in ("t-open", "t-bruno", "t-done")}


ROUTES = [("get", "api/tickets"), ("get", "api/tickets/t-open"), ("get", "api/intents"),
          ("post", "api/tickets/t-open/take"), ("post", "api/tickets/t-open/reply"),
          ("post", "api/tickets/t-open/resolve"), ("post", "api/tickets/t-done/reopen"),
          ("post", "api/tickets/t-open/review"), ("get", "api/tickets/t-open/files/1_a.png"),
          ("get", "api/dashboard/handoffs"), ("get", "api/me"), ("post", "api/me"), ("get", "api/words"),
          ("get", "api/templates"), ("post", "api/templates"), ("post", "api/templates/x/delete")]


@pytest.mark.parametrize("method, path", ROUTES)
async def test_no_valid_token_no_access(inbox, method, path) -> None:
    app, tokens = inbox
    before = state()
    basic = base64.b64encode(f"ana:{tokens['ana']}".encode()).decode()
    for headers in ({}, bearer("wrong"), bearer(tokens["old"]), bearer(tokens["gone"]),
                    {"authorization": f"Basic {basic}"}):
        answer = await call(app, method, path, headers, json={"text": "oi"})
        assert answer.status == 401, (headers, answer.status)
        assert "tickets" not in answer.json and "transcript" not in answer.json
    assert state() == before
    assert app.ctx.agent.trackers == {}


async def test_an_agent_cannot_work_a_colleagues_ticket(inbox) -> None:
    app, tokens = inbox
    before = state()
    for action, body in (("take", {}), ("reply", {"text": "Oi, sou a Ana"}), ("resolve", {})):
        answer = await call(app, "post", f"api/tickets/t-bruno/{action}", bearer(tokens["ana"]), json=body)
        assert answer.status == 403, (action, answer.json)
    answer = await call(app, "post", "api/tickets/t-open/take", bearer(tokens["ana"]), json={"assignee": "bruno"})
    assert answer.status == 403
    assert state() == before
    assert not any(e.type_name == "bot" for t in app.ctx.agent.trackers.values() for e in t.events)
    assert (await call(app, "post", "api/tickets/t-done/reopen", bearer(tokens["ana"]), json={})).status == 403
    assert state() == before


async def test_a_resolved_ticket_cannot_be_taken_or_answered(inbox) -> None:
    app, tokens = inbox
    for who in ("ana", "lea"):
        for action, body in (("take", {}), ("reply", {"text": "oi"}), ("resolve", {})):
            answer = await call(app, "post", f"api/tickets/t-done/{action}", bearer(tokens[who]), json=body)
            assert answer.status == 409, (who, action)
    assert tickets.get("t-done")["status"] == "resolved"


async def test_a_lead_reassigns_and_reopens_and_everything_is_in_the_audit_trail(inbox) -> None:
    app, tokens = inbox
    answer = await call(app, "post", "api/tickets/t-bruno/take", bearer(tokens["lea"]), json={"assignee": "ana"})
    assert answer.status == 200 and tickets.get("t-bruno")["assignee"] == "ana"
    answer = await call(app, "post", "api/tickets/t-bruno/reply", bearer(tokens["ana"]),
                        json={"text": "Oi! Me chama em ana.souza@gmail.com se precisar"})
    assert answer.status == 422  # the outgoing guard refuses sharing an e-mail: nothing sent
    answer = await call(app, "post", "api/tickets/t-bruno/reply", bearer(tokens["ana"]),
                        json={"text": "Oi! Ja estamos enviando outro produto hoje."})
    assert answer.status == 200
    assert (await call(app, "post", "api/tickets/t-bruno/resolve", bearer(tokens["ana"]), json={})).status == 200
    assert (await call(app, "post", "api/tickets/t-done/reopen", bearer(tokens["ana"]), json={})).status == 403
    answer = await call(app, "post", "api/tickets/t-done/reopen", bearer(tokens["lea"]), json={})
    assert answer.status == 200 and tickets.get("t-done")["status"] == "open"
    detail = (await call(app, "get", "api/tickets/t-bruno", bearer(tokens["ana"]))).json
    trail = [(a["agent"], a["action"]) for a in detail["audit"]]
    assert trail == [("lea", "reassign"), ("ana", "blocked_by_guard"), ("ana", "reply"), ("ana", "resolve")]
    assert "@" not in detail["audit"][1]["detail"]  # the refusal is kept by kind, never the text
    assert detail["audit"][2]["detail"] == "Oi! Ja estamos enviando outro produto hoje."
    assert ("lea", "reopen") in [(a["agent"], a["action"]) for a in tickets.audit_of("t-done")]
    assert "gmail.com" not in str(tickets.audit_of("t-bruno"))


@pytest.mark.parametrize("headers, status", [
    ({"content-type": "text/plain"}, 415),
    ({"content-type": "application/x-www-form-urlencoded"}, 415),
    ({"content-type": "application/json", "origin": "https://evil.example"}, 403),
    ({"content-type": "application/json", "sec-fetch-site": "cross-site"}, 403),
    ({"content-type": "application/json", "sec-fetch-site": "same-site"}, 403),
])
async def test_forged_cross_site_requests_change_nothing(inbox, headers, status) -> None:
    app, tokens = inbox
    before = state()
    for action in ("take", "reply", "resolve"):
        answer = await call(app, "post", f"api/tickets/t-open/{action}", {**bearer(tokens["ana"]), **headers},
                            content=b'{"text": "oi"}')
        assert answer.status == status, (action, answer.json)
    assert state() == before
    assert app.ctx.agent.trackers == {}
    same = {**bearer(tokens["ana"]), "content-type": "application/json", "origin": "http://127.0.0.1:5004",
            "host": "127.0.0.1:5004", "sec-fetch-site": "same-origin"}
    assert (await call(app, "post", "api/tickets/t-open/take", same, content=b"{}")).status == 200


async def test_repeated_failed_logins_are_slowed_and_logged_without_the_token(inbox, caplog) -> None:
    app, tokens = inbox
    caplog.set_level(logging.WARNING, logger="connectors.inbox.auth")
    for attempt in range(5):
        assert (await call(app, "get", "api/tickets", bearer(f"guess-{attempt}-secretish"))).status == 401
    locked = await call(app, "get", "api/tickets", bearer(tokens["ana"]))
    assert locked.status == 429 and int(locked.headers["retry-after"]) >= 1
    assert "5 failed logins" in caplog.text and "guess-" not in caplog.text


async def test_a_token_revoked_or_rotated_stops_at_once(inbox) -> None:
    app, tokens = inbox
    assert (await call(app, "get", "api/tickets", bearer(tokens["ana"]))).status == 200
    fresh = agents.rotate("ana")
    assert (await call(app, "get", "api/tickets", bearer(tokens["ana"]))).status == 401
    assert (await call(app, "get", "api/tickets", bearer(fresh))).status == 200
    agents.revoke("ana")
    assert (await call(app, "get", "api/tickets", bearer(fresh))).status == 401
    assert "token_hash" not in str(agents.listing()) and fresh not in str(agents.listing())


async def test_every_response_forbids_framing_caching_and_foreign_scripts(inbox) -> None:
    app, tokens = inbox
    page = await call(app, "get", "")
    assert page.status == 200 and "t-open" not in page.text
    for answer in (page, await call(app, "get", "api/tickets", bearer(tokens["ana"])),
                   await call(app, "get", "api/tickets")):
        csp = answer.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src 'sha256-" in csp
        assert "unsafe-inline" not in csp
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["cache-control"] == "no-store"


async def test_a_lead_cannot_hand_a_ticket_to_a_revoked_or_unknown_agent(inbox) -> None:
    app, tokens = inbox
    for name in ("gone", "old", "nobody"):
        answer = await call(app, "post", "api/tickets/t-open/take", bearer(tokens["lea"]), json={"assignee": name})
        assert answer.status == 400 and answer.json["error"] == "unknown_agent"
    assert tickets.get("t-open")["assignee"] is None


@pytest.mark.parametrize("path", [
    "api/tickets/t-open/files/..%2F..%2Fusers%2Fme", "api/tickets/t-open/files/1_a.png",
    "api/tickets/t-open/files/%2e%2e", "api/tickets/nope/files/1_a.png",
])
async def test_no_file_id_from_the_request_reaches_the_marketplace(inbox, path) -> None:
    """Only files a ticket shows are fetched: anything else is 404 before any API call."""
    app, tokens = inbox
    answer = await call(app, "get", path, bearer(tokens["ana"]))
    assert answer.status == 404


@pytest.mark.parametrize("body, error", [
    ({"text": "oi", "to": "seller"}, "invalid_receiver"),
    ({"text": "oi", "to": "mediator'; DROP TABLE x"}, "invalid_receiver"),
    ({"text": "oi", "files": [{"name": "a.png", "data": base64.b64encode(b"<svg onload=alert(1)>").decode()}]},
     "invalid_file"),
    ({"text": "oi", "files": [{"name": "a.png", "data": "%%%"}]}, "invalid_file"),
    ({"text": "oi", "files": [{"name": "a.png"}] * 4}, "invalid_file"),
])
async def test_a_reply_with_a_bad_target_or_file_is_refused_and_nothing_changes(inbox, body, error) -> None:
    app, tokens = inbox
    before = state()
    answer = await call(app, "post", "api/tickets/t-open/reply", bearer(tokens["ana"]), json=body)
    assert answer.status == 400 and answer.json["error"] == error
    assert state() == before


async def test_the_dashboard_is_for_leads_and_its_parameters_are_data(inbox) -> None:
    app, tokens = inbox
    assert (await call(app, "get", "api/dashboard/handoffs", bearer(tokens["ana"]))).status == 403
    for query in ("store=1%20OR%201%3D1", "store=99999999999999999999", "from=2026-01-01&to=2027-12-31",
                  "from=%27%3B--"):
        answer = await call(app, "get", f"api/dashboard/handoffs?{query}", bearer(tokens["lea"]))
        assert answer.status in (400, 404), query
    fine = await call(app, "get", "api/dashboard/handoffs", bearer(tokens["lea"]))
    assert fine.status == 200 and fine.json["mix"]["Complaint"] == 3


async def test_an_agent_cannot_save_templates_and_a_lead_cannot_save_a_phone_request(inbox) -> None:
    app, tokens = inbox
    body = {"store": 1, "language": "pt", "title": "x", "text": "y"}
    assert (await call(app, "post", "api/templates", bearer(tokens["ana"]), json=body)).status == 403
    assert (await call(app, "post", "api/templates", bearer(tokens["lea"]), json=body)).status == 404
