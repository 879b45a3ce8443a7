"""The agent inbox: a web page and JSON API served by the Rasa server (`/webhooks/inbox/`).

Agents see the queue of handoffs (claims and complaints first, then the longest waiting), the
context an agent needs (origin, type, reason, order, products, claim, stripped data requests)
and the live transcript read from Rasa's tracker store; they take a ticket, reply to the buyer
through the Mercado Libre output path (350-character split, moderation read), and resolve it,
which resumes the bot. An agent can also mark a buyer message the bot misread and pick the right
intent: it goes to the trainers' review queue (postsale/review_queue.py). Every route needs an
agent token (auth.py); agents come from INBOX_AGENTS ("name:token,name:token").
"""

from __future__ import annotations

import asyncio
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

from connectors import retention
from connectors.conversation import append_events, resume_bot
from connectors.inbox.auth import agent_for
from connectors.inbox.views import live_transcript, summary, user_event_at
from postsale import catalogue, review_queue, settings, tickets
from postsale.guard import EXPLANATIONS, check_outgoing
from postsale.settings import SettingsError

logger = logging.getLogger(__name__)
PAGE = Path(__file__).with_name("page.html")
MAX_REPLY = 2000
MARKETPLACE = "mercadolibre"  # the channel whose running instance posts replies (app.ctx.mercadolibre)


class InboxInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "inbox"

    @classmethod
    def check_settings(cls, credentials: dict[str, Any] | None) -> None:
        """Agents come from INBOX_AGENTS (postsale.settings), not from credentials.yml values."""
        if credentials:
            raise SettingsError("credentials.yml: connectors.inbox.InboxInput takes no values; set INBOX_AGENTS "
                                f"instead of {', '.join(sorted(credentials))}")

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        cls.check_settings(credentials)
        return cls(dict(settings.current().inbox_agents))

    def __init__(self, agents: dict[str, str]) -> None:
        self.agents = agents
        if not agents:
            logger.warning("agent inbox has no agents configured (INBOX_AGENTS): every call gets 401")

    def agent_for(self, request: Request) -> str | None:
        return agent_for(request, self.agents)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("inbox_webhook", __name__)
        inbox = self

        @bp.listener("after_server_start")
        async def start_retention(app: Any, loop: Any) -> None:
            retention.schedule(app)  # once per server, whichever channel starts first

        @bp.listener("before_server_stop")
        async def stop_retention(app: Any, loop: Any) -> None:
            await retention.stop(app)

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
            take_within = settings.current().handoff.take_within_minutes * 60
            items = [summary(t, now, take_within) for t in await asyncio.to_thread(tickets.queue)]
            return response.json({"agent": agent, "tickets": items})

        @bp.route("/api/tickets/<ticket_id>", methods=["GET"])
        @guarded
        async def detail(request: Request, agent: str, ticket_id: str) -> HTTPResponse:
            ticket = await asyncio.to_thread(tickets.get, ticket_id)
            if not ticket:
                return response.json({"error": "not_found"}, 404)
            ticket["transcript"] = await live_transcript(request.app.ctx.agent, ticket)
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
            return response.json({"groups": [{"name": name, "intents": list(names)}
                                             for name, names in catalogue.INTENT_GROUPS]})

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
        if ticket.get("channel") == MARKETPLACE:
            channel = getattr(request.app.ctx, MARKETPLACE, None)
            if channel is None:
                return response.json({"error": "channel_unavailable"}, 503)
            sent = await channel.send_agent_reply(conversation, text)
            if sent is None:
                return response.json({"error": "not_this_sellers_conversation",
                                      "detail": "the ticket's conversation is not a thread of this seller"}, 409)
            delivery.update(sent)
            if sent.get("blocked") or not sent.get("sent"):
                return response.json({"error": "not_delivered", **delivery}, 502)
        await append_events(request.app.ctx.agent, conversation, BotUttered(text, metadata={"agent": agent}))
        if ticket["status"] == "open":
            await asyncio.to_thread(tickets.update, ticket_id, status="assigned", assignee=agent)
        return response.json({"status": "sent", **delivery})

    async def review(self, request: Request, agent: str, ticket_id: str) -> HTTPResponse:
        """Queue a buyer message with the intent the agent says it was, for the trainers to settle."""
        body = request.json if isinstance(request.json, dict) else {}
        intent, at = body.get("intent"), body.get("at")
        if intent not in review_queue.selectable_intents():
            return response.json({"error": "unknown_intent", "detail": f"not an intent an agent can choose: {intent}"},
                                 400)
        if isinstance(at, bool) or not isinstance(at, (int, float)):
            return response.json({"error": "invalid_at", "detail": "`at` is the buyer line's timestamp"}, 400)
        ticket = await asyncio.to_thread(tickets.get, ticket_id)
        if not ticket:
            return response.json({"error": "not_found"}, 404)
        tracker = await request.app.ctx.agent.processor.get_tracker(ticket["conversation_id"])
        event = user_event_at(tracker.events, float(at))
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
