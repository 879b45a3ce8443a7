"""The agent inbox: a web page and JSON API served by the Rasa server (`/webhooks/inbox/`).

Agents see the queue of handoffs (claims and complaints first, then the longest waiting), the
context an agent needs (origin, type, reason, order, products, claim, stripped data requests)
and the live transcript read from Rasa's tracker store; they take a ticket, reply to the buyer
through the Mercado Libre output path (350-character split, moderation read), and resolve it,
which resumes the bot. An agent can also mark a buyer message the bot misread and pick the right
intent: it goes to the trainers' review queue (training/review.py). Every route needs an agent
token (Bearer, or Basic with the token as password); agents come from credentials.yml /
INBOX_AGENTS ("name:token,name:token").
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import tickets
from actions.handoff import load_destinations
from connectors import registry
from connectors.compliance import EXPLANATIONS, check_outgoing
from connectors.conversation import append_events, resume_bot
from connectors.output import MercadoLibreOutput
from training import review as review_queue

logger = logging.getLogger(__name__)
PAGE = Path(__file__).with_name("inbox.html")
MAX_REPLY = 2000
SAME_MOMENT = 1e-3  # seconds: how close a posted `at` must be to the event's timestamp


def parse_agents(value: Any) -> dict[str, str]:
    """token → agent name."""
    if isinstance(value, dict):
        return {str(token): str(name) for name, token in value.items() if token}
    agents = {}
    for item in str(value or "").split(","):
        name, _, token = item.strip().partition(":")
        if name and token:
            agents[token] = name
    return agents


class InboxInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "inbox"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        import os

        creds = credentials or {}
        return cls(parse_agents(creds.get("agents") or os.environ.get("INBOX_AGENTS")))

    def __init__(self, agents: dict[str, str]) -> None:
        self.agents = agents
        if not agents:
            logger.warning("agent inbox has no agents configured (INBOX_AGENTS): every call gets 401")

    def agent_for(self, request: Request) -> str | None:
        header = request.headers.get("authorization") or ""
        scheme, _, value = header.partition(" ")
        token = ""
        if scheme.lower() == "bearer":
            token = value.strip()
        elif scheme.lower() == "basic":
            try:
                token = base64.b64decode(value.strip()).decode().partition(":")[2]
            except (ValueError, UnicodeDecodeError):
                return None
        for known, name in self.agents.items():
            if token and hmac.compare_digest(token.encode(), known.encode()):
                return name
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("inbox_webhook", __name__)
        inbox = self

        def guarded(handler: Callable[..., Awaitable[HTTPResponse]]) -> Callable[..., Awaitable[HTTPResponse]]:
            async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                agent = inbox.agent_for(request)
                if agent is None:
                    return response.json({"error": "unauthorized"}, 401,
                                         headers={"WWW-Authenticate": 'Basic realm="inbox"'})
                return await handler(request, agent, *args, **kwargs)

            wrapper.__name__ = handler.__name__
            return wrapper

        @bp.route("/", methods=["GET"])
        @guarded
        async def page(request: Request, agent: str) -> HTTPResponse:
            return response.html(PAGE.read_text(encoding="utf-8"))

        @bp.route("/api/tickets", methods=["GET"])
        @guarded
        async def queue(request: Request, agent: str) -> HTTPResponse:
            now = time.time()
            take_within = float(load_destinations().get("take_within_minutes") or 0) * 60
            items = [_summary(t, now, take_within) for t in await asyncio.to_thread(tickets.queue)]
            return response.json({"agent": agent, "tickets": items})

        @bp.route("/api/tickets/<ticket_id>", methods=["GET"])
        @guarded
        async def detail(request: Request, agent: str, ticket_id: str) -> HTTPResponse:
            ticket = await asyncio.to_thread(tickets.get, ticket_id)
            if not ticket:
                return response.json({"error": "not_found"}, 404)
            ticket["transcript"] = await _live_transcript(request, ticket)
            return response.json(ticket)

        @bp.route("/api/tickets/<ticket_id>/take", methods=["POST"])
        @guarded
        async def take(request: Request, agent: str, ticket_id: str) -> HTTPResponse:
            ok = await asyncio.to_thread(tickets.update, ticket_id, status="assigned", assignee=agent)
            return response.json({"status": "assigned", "assignee": agent} if ok else {"error": "not_found"},
                                 200 if ok else 404)

        @bp.route("/api/tickets/<ticket_id>/reply", methods=["POST"])
        @guarded
        async def reply(request: Request, agent: str, ticket_id: str) -> HTTPResponse:
            return await inbox.reply(request, agent, ticket_id)

        @bp.route("/api/tickets/<ticket_id>/review", methods=["POST"])
        @guarded
        async def review(request: Request, agent: str, ticket_id: str) -> HTTPResponse:
            return await inbox.review(request, agent, ticket_id)

        @bp.route("/api/intents", methods=["GET"])
        @guarded
        async def intents(request: Request, agent: str) -> HTTPResponse:
            groups = await asyncio.to_thread(review_queue.intent_groups)
            return response.json({"groups": [{"name": name, "intents": names} for name, names in groups]})

        @bp.route("/api/tickets/<ticket_id>/resolve", methods=["POST"])
        @guarded
        async def resolve(request: Request, agent: str, ticket_id: str) -> HTTPResponse:
            ticket = await asyncio.to_thread(tickets.get, ticket_id)
            if not ticket:
                return response.json({"error": "not_found"}, 404)
            await resume_bot(request.app.ctx.agent, ticket["conversation_id"])
            await asyncio.to_thread(tickets.update, ticket_id, status="resolved", assignee=agent,
                                    resolved_at=time.time())
            return response.json({"status": "resolved", "bot": "resumed"})

        return bp

    async def reply(self, request: Request, agent: str, ticket_id: str) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        text = str(body.get("text") or "").strip()
        if not text or len(text) > MAX_REPLY:
            return response.json({"error": "invalid_text", "detail": f"1..{MAX_REPLY} characters"}, 400)
        ticket = await asyncio.to_thread(tickets.get, ticket_id)
        if not ticket or ticket["status"] == "resolved":
            return response.json({"error": "not_found_or_resolved"}, 404)
        verdict = check_outgoing(text)
        if not verdict.allowed:
            logger.info("agent %s reply on ticket %s refused by the outgoing-text guard: %s", agent, ticket_id,
                        verdict.kind)
            return response.json({"error": "blocked_by_guard", "kind": verdict.kind,
                                  "message": EXPLANATIONS.get(str(verdict.kind), verdict.kind),
                                  "excerpt": verdict.excerpt(text),
                                  "span": list(verdict.span) if verdict.span else None}, 422)
        conversation = ticket["conversation_id"]
        delivery: dict[str, Any] = {"channel": ticket.get("channel")}
        if ticket.get("channel") == "mercadolibre":
            sent = await _send_to_marketplace(conversation, text)
            if sent is None:
                return response.json({"error": "channel_unavailable"}, 503)
            delivery.update(sent)
            if sent.get("blocked") or not sent.get("sent"):
                return response.json({"error": "not_delivered", **delivery}, 502)
        await _append(request, conversation, BotUttered(text, metadata={"agent": agent}))
        if ticket["status"] == "open":
            await asyncio.to_thread(tickets.update, ticket_id, status="assigned", assignee=agent)
        return response.json({"status": "sent", **delivery})

    async def review(self, request: Request, agent: str, ticket_id: str) -> HTTPResponse:
        """Queue a buyer message with the intent the agent says it was, for the trainers to settle."""
        body = request.json if isinstance(request.json, dict) else {}
        intent, at = body.get("intent"), body.get("at")
        if intent not in await asyncio.to_thread(review_queue.selectable_intents):
            return response.json({"error": "unknown_intent", "detail": f"not an intent an agent can choose: {intent}"},
                                 400)
        if isinstance(at, bool) or not isinstance(at, (int, float)):
            return response.json({"error": "invalid_at", "detail": "`at` is the buyer line's timestamp"}, 400)
        ticket = await asyncio.to_thread(tickets.get, ticket_id)
        if not ticket:
            return response.json({"error": "not_found"}, 404)
        tracker = await request.app.ctx.agent.processor.get_tracker(ticket["conversation_id"])
        event = _user_event_at(tracker.events, float(at))
        if event is None:
            return response.json({"error": "message_not_found", "detail": "no buyer message at that time"}, 404)
        if (event.text or "").startswith("/"):
            return response.json({"error": "not_read_by_the_bot",
                                  "detail": "the channel sent this message as a command; the bot did not read it"},
                                 400)
        predicted = (event.parse_data or {}).get("intent") or {}
        try:
            item = await asyncio.to_thread(
                review_queue.add, event.text or "", ticket.get("language") or tracker.get_slot("language"), intent,
                agent=agent, ticket_id=ticket_id, predicted_intent=predicted.get("name"),
                predicted_confidence=predicted.get("confidence"), message_at=event.timestamp)
        except review_queue.ReviewError as problem:
            return response.json({"error": "invalid_item", "detail": str(problem)}, 400)
        logger.info("agent %s sent message %s of ticket %s to review as %s", agent, at, ticket_id, intent)
        return response.json(item, 201)


def _user_event_at(events: Any, at: float) -> Any | None:
    """The buyer message the page showed with that timestamp (JSON may round the last digits)."""
    users = [e for e in events if getattr(e, "type_name", "") == "user"]
    closest = min(users, key=lambda e: abs(e.timestamp - at), default=None)
    return closest if closest is not None and abs(closest.timestamp - at) < SAME_MOMENT else None


def _summary(ticket: dict[str, Any], now: float, take_within: float = 0) -> dict[str, Any]:
    waiting = now - ticket["created_ts"]
    return {
        "flagged": bool(take_within) and ticket["status"] == "open" and waiting > take_within,
        "id": ticket["id"], "interaction_type": ticket["interaction_type"], "reason": ticket["reason"],
        "language": ticket.get("language"), "origin": ticket.get("origin"), "status": ticket["status"],
        "assignee": ticket.get("assignee"), "priority": ticket["priority"],
        "products": [p.get("title") for p in ticket.get("products") or []],
        "waiting_seconds": int(waiting),
    }


async def _send_to_marketplace(conversation: str, text: str) -> dict[str, Any] | None:
    channel = registry.get("mercadolibre")
    if channel is None:
        return None
    _, seller, pack = conversation.split("-", 2)
    known = await asyncio.to_thread(channel.intake.conversation, int(seller), pack)
    output = MercadoLibreOutput(channel.client, channel.intake, int(seller), pack,
                                (known or {}).get("last_from_user_id"))
    await output.send_text_message(conversation, text)
    d = output.delivery
    return {"sent": len(d.sent), "moderated": d.moderated, "blocked": d.blocked, "errors": d.errors}


async def _append(request: Request, conversation: str, *events: Any) -> None:
    await append_events(request.app.ctx.agent, conversation, *events)


def _review_marks(ticket_id: str) -> dict[float, dict[str, Any]]:
    """A broken review file must not take the conversation view down with it."""
    try:
        return review_queue.marks(ticket_id)
    except (OSError, ValueError) as problem:
        logger.warning("review queue unreadable: %s", problem)
        return {}


async def _live_transcript(request: Request, ticket: dict[str, Any]) -> list[dict[str, Any]]:
    """From the tracker store, so buyer messages sent during the handoff show up at once."""
    agent = request.app.ctx.agent
    tracker = await agent.processor.get_tracker(ticket["conversation_id"])
    marks = await asyncio.to_thread(_review_marks, ticket["id"])
    lines = []
    for event in tracker.events:
        name = getattr(event, "type_name", "")
        if name == "user":
            text = event.text or ""
            if text.startswith("/"):
                text = (event.metadata or {}).get("buyer_text") or ""
            who = "buyer"
        elif name == "bot":
            text = event.text or ""
            who = "agent" if (event.metadata or {}).get("agent") else "bot"
        else:
            continue
        if text:
            lines.append({"from": who, "text": text, "at": event.timestamp,
                          "agent": (getattr(event, "metadata", None) or {}).get("agent")})
            if who == "buyer":
                lines[-1].update(_buyer_details(event, marks))
    return lines


def _buyer_details(event: Any, marks: dict[float, dict[str, Any]]) -> dict[str, Any]:
    """What the bot understood, and whether an agent already sent the line to review."""
    details: dict[str, Any] = {"intent": ((event.parse_data or {}).get("intent") or {}).get("name")}
    mark = marks.get(round(event.timestamp, 6))
    if mark:
        details["review"] = {"intent": mark["intent"], "status": mark["status"], "id": mark["id"]}
    return details
