"""The agent inbox: a web page and JSON API served by the Rasa server (`/webhooks/inbox/`).

Agents see the queue of handoffs (claims and complaints first, then the longest waiting), the
context an agent needs (origin, type, reason, order, products, claim, stripped data requests)
and the live transcript read from Rasa's tracker store; they take a ticket, reply to the buyer
through the Mercado Libre output path (350-character split, moderation read), and resolve it,
which resumes the bot. An agent can also mark a buyer message the bot misread and pick the right
intent: it goes to the trainers' review queue (postsale/review_queue.py).

Who may do what (auth.py, postsale/agents.py): the page itself is static and carries no data;
every API route needs an agent's Bearer token. An agent takes open tickets and works the ones
assigned to them; a ticket assigned to someone else answers 403 unless the caller is a lead,
who may also reassign and reopen. A resolved ticket cannot be taken or answered (409). Every
take, reply, resolve, reopen and review is in the ticket's audit trail. POSTs must be JSON from
the inbox's own origin, and every response carries a strict CSP and no-store.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, ConversationPaused
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors import retention
from connectors.conversation import append_events, resume_bot
from connectors.inbox import auth, claims, lead, store_admin
from connectors.inbox.auth import Throttle
from connectors.inbox.views import live_transcript, summary, user_event_at
from meli import MeliClient, MeliError
from postsale import agents, catalogue, conversation_id, review_queue, settings, stores, tickets, transcript
from postsale.agents import Agent
from postsale.guard import EXPLANATIONS, check_outgoing
from postsale.settings import SettingsError

logger = logging.getLogger(__name__)
PAGE = Path(__file__).with_name("page.html")
MAX_REPLY = 2000
GUARD_BLOCK = "blocked_by_guard"  # the audit action of an agent text the guard refused (dashboard)
MARKETPLACE = conversation_id.CHANNEL  # the channel whose running instance posts replies (app.ctx.mercadolibre)


def _inline_hash(html: str, tag: str) -> str:
    """CSP hash of the page's one inline <script> or <style>: nothing else may run or style it."""
    body = html.split(f"<{tag}>", 1)[1].split(f"</{tag}>", 1)[0]
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def security_headers(html: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; script-src {_inline_hash(html, 'script')}; style-src {_inline_hash(html, 'style')}; "
            "connect-src 'self'; img-src 'self' data: blob:; media-src data:; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'"),
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }


class InboxInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "inbox"

    @classmethod
    def check_settings(cls, credentials: dict[str, Any] | None) -> None:
        """Agents are managed with scripts/agents.py (INBOX_AGENTS seeds them), not credentials.yml."""
        if credentials:
            raise SettingsError("credentials.yml: connectors.inbox.InboxInput takes no values; manage agents with "
                                f"scripts/agents.py instead of {', '.join(sorted(credentials))}")

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        cls.check_settings(credentials)
        current = settings.current()
        agents.seed(current.inbox_agents, current.inbox_roles)
        # The single-store configuration (MELI_SELLER_ID): its store exists and INBOX_AGENTS work it.
        if stores.seed_configured(current.marketplace.seller_id) or current.marketplace.seller_id:
            stores.adopt(current.inbox_agents.values(), current.marketplace.seller_id)
        return cls()

    def __init__(self) -> None:
        self.page = PAGE.read_text(encoding="utf-8")
        self.headers = security_headers(self.page)
        self.throttle = Throttle()
        if not agents.listing():
            logger.warning("agent inbox has no agents: add one with `python scripts/agents.py add NAME`")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("inbox_webhook", __name__)
        inbox = self

        @bp.listener("after_server_start")
        async def start_retention(app: Any, loop: Any) -> None:
            retention.schedule(app)  # once per server, whichever channel starts first

        @bp.listener("before_server_stop")
        async def stop_retention(app: Any, loop: Any) -> None:
            await retention.stop(app)

        @bp.middleware("response")
        async def protect(request: Request, answer: HTTPResponse) -> None:
            # A page with its own policy (the admin page, the connect result) keeps it.
            answer.headers.update({k: v for k, v in inbox.headers.items() if k not in answer.headers})

        guarded = self.guarded

        @bp.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return response.html(inbox.page)

        store_admin.add_routes(bp, self)
        lead.add_routes(bp, self)

        @bp.route("/api/tickets", methods=["GET"])
        @guarded
        async def queue(request: Request, agent: Agent) -> HTTPResponse:
            now = time.time()
            scope = await asyncio.to_thread(agent_scope, agent)
            found = await asyncio.to_thread(tickets.queue, scope)
            windows = await asyncio.to_thread(windows_of, {t.get("seller_id") for t in found})
            items = [summary(t, now, *windows[t.get("seller_id")]) for t in found]
            return response.json({"agent": agent.name, "role": agent.role, "tickets": items})

        @bp.route("/api/tickets/<ticket_id>", methods=["GET"])
        @guarded
        async def detail(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            ticket = await ticket_for(agent, ticket_id)
            if not ticket:
                return response.json({"error": "not_found"}, 404)
            ticket["transcript"] = await live_transcript(request.app.ctx.agent, ticket)
            ticket["audit"] = await asyncio.to_thread(tickets.audit_of, ticket_id)
            await claims.live_messages(await store_client(request, ticket), ticket)
            windows = await asyncio.to_thread(windows_of, {ticket.get("seller_id")})
            ticket["queue"] = summary(ticket, time.time(), *windows[ticket.get("seller_id")])
            return response.json(ticket)

        @bp.route("/api/tickets/<ticket_id>/files/<file_id>", methods=["GET"])
        @guarded
        async def file(request: Request, agent: Agent, ticket_id: str, file_id: str) -> HTTPResponse:
            """A file of the ticket (a buyer's photo, claim evidence), fetched with the store's token."""
            ticket = await ticket_for(agent, ticket_id)
            if not ticket:
                return response.json({"error": "not_found"}, 404)
            client = await store_client(request, ticket)
            await claims.live_messages(client, ticket)
            lines = await live_transcript(request.app.ctx.agent, ticket)
            where = claims.files_of(ticket, lines).get(file_id)
            if where is None:  # only files the ticket shows: no id from the request reaches the API unchecked
                return response.json({"error": "not_found", "detail": "no such file in this ticket"}, 404)
            return await claims.file_response(client, ticket, file_id, where, await site_of(ticket))

        @bp.route("/api/tickets/<ticket_id>/take", methods=["POST"])
        @guarded
        async def take(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            """Take an open ticket; a lead may give any open ticket to someone (`{"assignee": name}`)."""
            ticket = await ticket_for(agent, ticket_id)
            if not ticket:
                return response.json({"error": "not_found"}, 404)
            body = request.json if isinstance(request.json, dict) else {}
            assignee = body.get("assignee") or agent.name
            if ticket["status"] == "resolved":
                return response.json({"error": "resolved", "detail": "a lead can reopen it"}, 409)
            if assignee != agent.name and not agent.lead:
                return response.json({"error": "forbidden", "detail": "only a lead assigns tickets to others"}, 403)
            if ticket.get("assignee") not in (None, agent.name) and not agent.lead:
                return response.json({"error": "forbidden", "detail": f"assigned to {ticket['assignee']}; a lead "
                                      "can reassign it"}, 403)
            active = {a["name"] for a in await asyncio.to_thread(agents.listing) if a["status"] == "active"}
            if assignee != agent.name and (assignee not in active
                                           or not await asyncio.to_thread(works_for, assignee, ticket)):
                return response.json({"error": "unknown_agent", "detail": "not an active agent of this store"}, 400)
            await asyncio.to_thread(tickets.update, ticket_id, status="assigned", assignee=assignee)
            action = "take" if assignee == agent.name and ticket.get("assignee") in (None, agent.name) else "reassign"
            await asyncio.to_thread(tickets.audit, ticket_id, agent.name, action, assignee)
            return response.json({"status": "assigned", "assignee": assignee})

        @bp.route("/api/tickets/<ticket_id>/reopen", methods=["POST"])
        @guarded
        async def reopen(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            ticket = await ticket_for(agent, ticket_id)  # another store's ticket: 404 before any other answer
            if not ticket:
                return response.json({"error": "not_found"}, 404)
            if not agent.lead:
                return response.json({"error": "forbidden", "detail": "only a lead reopens tickets"}, 403)
            if ticket["status"] != "resolved":
                return response.json({"error": "not_resolved"}, 409)
            if await asyncio.to_thread(tickets.open_for, ticket["conversation_id"]):
                return response.json({"error": "conversation_has_an_open_ticket"}, 409)
            await append_events(request.app.ctx.agent, ticket["conversation_id"], ConversationPaused())
            await asyncio.to_thread(tickets.update, ticket_id, status="open", assignee=None, resolved_at=None)
            await asyncio.to_thread(tickets.audit, ticket_id, agent.name, "reopen")
            return response.json({"status": "open", "bot": "paused"})

        @bp.route("/api/tickets/<ticket_id>/reply", methods=["POST"])
        @guarded
        async def reply(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            return await inbox.reply(request, agent, ticket_id)

        @bp.route("/api/tickets/<ticket_id>/review", methods=["POST"])
        @guarded
        async def review(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            return await inbox.review(request, agent, ticket_id)

        @bp.route("/api/intents", methods=["GET"])
        @guarded
        async def intents(request: Request, agent: Agent) -> HTTPResponse:
            return response.json({"groups": [{"name": name, "intents": list(names)}
                                             for name, names in catalogue.INTENT_GROUPS]})

        @bp.route("/api/tickets/<ticket_id>/resolve", methods=["POST"])
        @guarded
        async def resolve(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            ticket = await ticket_for(agent, ticket_id)
            refused = may_work_on(ticket, agent)
            if refused:
                return refused
            assert ticket is not None
            await resume_bot(request.app.ctx.agent, ticket["conversation_id"])
            await asyncio.to_thread(tickets.update, ticket_id, status="resolved", assignee=ticket.get("assignee")
                                    or agent.name, resolved_at=time.time())
            await asyncio.to_thread(tickets.audit, ticket_id, agent.name, "resolve")
            return response.json({"status": "resolved", "bot": "resumed"})

        return bp

    def guarded(self, handler: Callable[..., Awaitable[HTTPResponse]]) -> Callable[..., Awaitable[HTTPResponse]]:
        """An API route: a known agent's Bearer token (failed guesses throttled per address) and,
        for a POST, JSON from the inbox's own origin."""
        inbox = self

        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            client = auth.client_of(request)
            wait = inbox.throttle.locked_for(client)
            if wait:
                return response.json({"error": "too_many_failed_logins", "detail": f"try again in {wait} s"},
                                     429, headers={"Retry-After": str(wait)})
            agent = await asyncio.to_thread(auth.agent_for, request)
            if agent is None:
                if auth.bearer(request):  # a wrong guess; a request with no token guesses nothing
                    inbox.throttle.failed(client)
                return response.json({"error": "unauthorized", "detail": "Authorization: Bearer <agent token>"},
                                     401)
            inbox.throttle.succeeded(client)
            if request.method == "POST":
                forged = auth.forgery(request)
                if forged:
                    logger.warning("inbox: %s refused for agent %s: %s", request.path, agent.name, forged)
                    status = 415 if "application/json" in forged else 403
                    return response.json({"error": "refused", "detail": forged}, status)
            return await handler(request, agent, *args, **kwargs)

        wrapper.__name__ = handler.__name__
        return wrapper

    async def reply(self, request: Request, caller: Agent, ticket_id: str) -> HTTPResponse:
        """To the buyer in the chat (default), or in the claim (`to`: complainant or mediator) when
        the chat is blocked by it; `files` (JPG/PNG/PDF) are uploaded just before sending."""
        body = request.json if isinstance(request.json, dict) else {}
        text = str(body.get("text") or "").strip()
        if not text or len(text) > MAX_REPLY:
            return response.json({"error": "invalid_text", "detail": f"1..{MAX_REPLY} characters"}, 400)
        to = body.get("to") or "buyer"
        if to not in claims.RECEIVERS:
            return response.json({"error": "invalid_receiver", "detail": f"one of {', '.join(claims.RECEIVERS)}"},
                                 400)
        try:
            files = claims.decode_files(body.get("files"))
        except ValueError as problem:
            return response.json({"error": "invalid_file", "detail": str(problem)}, 400)
        ticket = await ticket_for(caller, ticket_id)
        refused = may_work_on(ticket, caller)
        if refused:
            return refused
        assert ticket is not None
        agent = caller.name
        verdict = check_outgoing(text)
        if not verdict.allowed:
            logger.info("agent %s reply on ticket %s refused by the outgoing-text guard: %s", agent, ticket_id,
                        verdict.kind)
            await asyncio.to_thread(tickets.audit, ticket_id, agent, GUARD_BLOCK, str(verdict.kind))
            return response.json({"error": "blocked_by_guard", "kind": verdict.kind,
                                  "message": EXPLANATIONS.get(str(verdict.kind), verdict.kind),
                                  "excerpt": verdict.excerpt(text),
                                  "span": list(verdict.span) if verdict.span else None}, 422)
        conversation = ticket["conversation_id"]
        if to in claims.CLAIM_ROLES:
            status, result = await claims.send_in_claim(await store_client(request, ticket), ticket, to, text, files)
            if status == 200:
                await asyncio.to_thread(self._replied, ticket, agent, f"{to}: {text}", "claim_reply")
            return response.json(result, status)
        delivery: dict[str, Any] = {"channel": ticket.get("channel")}
        shown: list[dict[str, Any]] = []
        if files and ticket.get("channel") != MARKETPLACE:
            return response.json({"error": "files_not_supported", "detail": "files go only to marketplace chats"},
                                 400)
        if ticket.get("channel") == MARKETPLACE:
            channel = getattr(request.app.ctx, MARKETPLACE, None)
            if channel is None:
                return response.json({"error": "channel_unavailable"}, 503)
            ids: list[str] = []
            if files:
                client = await store_client(request, ticket)
                site = await site_of(ticket)
                if client is None:
                    return response.json({"error": "not_this_sellers_conversation"}, 409)
                try:
                    ids = await claims.upload_for_chat(client, site, files)
                except MeliError as err:
                    return response.json({"error": "not_delivered", "detail": f"upload: {err.message}"}, 502)
                shown = claims.described(files, ids)
            sent = await channel.send_agent_reply(conversation, text, ids)
            if sent is None:
                return response.json({"error": "not_this_sellers_conversation",
                                      "detail": "the ticket's conversation is not a thread of this seller"}, 409)
            delivery.update(sent)
            if sent.get("blocked") or not sent.get("sent"):
                return response.json({"error": "not_delivered", **delivery}, 502)
        metadata: dict[str, Any] = {"agent": agent, "attachments": shown} if shown else {"agent": agent}
        await append_events(request.app.ctx.agent, conversation, BotUttered(text, metadata=metadata))
        await asyncio.to_thread(self._replied, ticket, agent, text, "reply")
        return response.json({"status": "sent", "to": "buyer", **delivery})

    @staticmethod
    def _replied(ticket: dict[str, Any], agent: str, text: str, action: str) -> None:
        """A reply reached the buyer or the claim: the ticket is the agent's, the first reply timed."""
        if ticket["status"] == "open":
            tickets.update(ticket["id"], status="assigned", assignee=agent)
        tickets.first_reply(ticket["id"], time.time())
        tickets.audit(ticket["id"], agent, action, text)

    async def review(self, request: Request, caller: Agent, ticket_id: str) -> HTTPResponse:
        """Queue a buyer message with the intent the agent says it was, for the trainers to settle."""
        body = request.json if isinstance(request.json, dict) else {}
        intent, at = body.get("intent"), body.get("at")
        if intent not in review_queue.selectable_intents():
            return response.json({"error": "unknown_intent", "detail": f"not an intent an agent can choose: {intent}"},
                                 400)
        if isinstance(at, bool) or not isinstance(at, (int, float)):
            return response.json({"error": "invalid_at", "detail": "`at` is the buyer line's timestamp"}, 400)
        ticket = await ticket_for(caller, ticket_id)
        if not ticket:
            return response.json({"error": "not_found"}, 404)
        agent = caller.name
        tracker = await request.app.ctx.agent.processor.get_tracker(ticket["conversation_id"])
        event = user_event_at(tracker.events, float(at))
        if event is None:
            return response.json({"error": "message_not_found", "detail": "no buyer message at that time"}, 404)
        if transcript.is_channel_trigger(event.as_dict()):
            return response.json({"error": "not_read_by_the_bot",
                                  "detail": "the channel sent this message as a command; the bot did not read it"},
                                 400)
        predicted = (event.parse_data or {}).get("intent") or {}
        try:
            item = await asyncio.to_thread(
                review_queue.add, event.text or "", ticket.get("language") or tracker.get_slot("language"), intent,
                agent=agent, ticket_id=ticket_id, predicted_intent=predicted.get("name"),
                predicted_confidence=predicted.get("confidence"), message_at=event.timestamp,
                seller_id=ticket.get("seller_id"))
        except review_queue.ReviewError as problem:
            return response.json({"error": "invalid_item", "detail": str(problem)}, 400)
        logger.info("agent %s sent message %s of ticket %s to review as %s", agent, at, ticket_id, intent)
        await asyncio.to_thread(tickets.audit, ticket_id, agent, "review", intent)
        return response.json(item, 201)


def agent_scope(agent: Agent) -> set[int] | None:
    """The stores whose tickets the agent sees: an admin every store (None), anyone else theirs."""
    return None if agent.admin else stores.stores_of(agent.name)


def works_for(name: str, ticket: dict[str, Any]) -> bool:
    """May this agent be given the ticket: an agent of its store (or an admin); any agent for a
    ticket of no store."""
    seller = ticket.get("seller_id")
    if seller is None:
        return True
    found = [a for a in agents.listing() if a["name"] == name]
    return bool(found) and (found[0]["role"] == agents.ADMIN or int(seller) in stores.stores_of(name))


def windows_of(sellers: set[Any]) -> dict[Any, tuple[float, float]]:
    """Each store's take-within window and claim-deadline window, in seconds (its settings, else
    the deployment's)."""
    found = {}
    for seller in sellers:
        config = stores.handoff_for(seller)
        found[seller] = (config.take_within_minutes * 60, config.claim_due_window_hours * 3600)
    return found


async def site_of(ticket: dict[str, Any]) -> str:
    """The marketplace site the ticket's files go through: the order's, else the store's."""
    site = (ticket.get("order") or {}).get("site_id")
    if not site and ticket.get("seller_id") is not None:
        store = await asyncio.to_thread(stores.get, int(ticket["seller_id"]))
        site = store.site_id if store else None
    return str(site or "MLB")


async def store_client(request: Request, ticket: dict[str, Any]) -> MeliClient | None:
    """The ticket's store's API client, when the ticket is a marketplace conversation of a
    connected store."""
    channel = getattr(request.app.ctx, MARKETPLACE, None)
    if channel is None or ticket.get("channel") != MARKETPLACE:
        return None
    return await channel.store_client(ticket["conversation_id"])


async def ticket_for(agent: Agent, ticket_id: str) -> dict[str, Any] | None:
    """The ticket if it is one of the agent's stores'. Another store's ticket does not exist for
    them (404, as an unknown id), and the attempt is logged."""
    scope = await asyncio.to_thread(agent_scope, agent)
    ticket = await asyncio.to_thread(tickets.get, ticket_id, scope)
    if ticket is None and scope is not None and await asyncio.to_thread(tickets.get, ticket_id):
        logger.warning("inbox: agent %s asked for ticket %s of another store: answered 404", agent.name, ticket_id)
    return ticket


def may_work_on(ticket: dict[str, Any] | None, agent: Agent) -> HTTPResponse | None:
    """Reply and resolve: on an open ticket, or one assigned to the caller; a lead on any."""
    if not ticket:
        return response.json({"error": "not_found"}, 404)
    if ticket["status"] == "resolved":
        return response.json({"error": "resolved", "detail": "a lead can reopen it"}, 409)
    if ticket.get("assignee") not in (None, agent.name) and not agent.lead:
        return response.json({"error": "forbidden", "detail": f"assigned to {ticket['assignee']}"}, 403)
    return None
