"""What the channel does with one stored notification.

A buyer message becomes a Rasa UserMessage whose metadata carries the pack, orders, buyer,
seller, site and language, so the actions never ask for an order number. Conversations that
cannot receive replies, moderated replies and open claims are handed to a person through the
same `action_handoff` the dialogue uses, triggered with the `system_handoff` intent (a
`ChannelTrigger`, which no buyer text can imitate: connectors/trigger.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import UserMessage

from connectors.conversation import resume_bot
from connectors.mercadolibre.intake import Intake, IntakeRow
from connectors.mercadolibre.message import IncomingMessage, parse_message
from connectors.mercadolibre.output import MercadoLibreOutput
from connectors.mercadolibre.resolution import says_solved
from connectors.trigger import ChannelTrigger
from meli import MeliClient, MeliError, MeliNotFound
from meli.claims import read_claim
from meli.sellers import SellerClients
from postsale import catalogue, tickets
from postsale.catalogue import (
    BACKEND_ERROR,
    BLOCKED_CONVERSATION,
    BLOCKED_OUTGOING_TEXT,
    COMPLAINT,
    MODERATED_REPLY,
    OPEN_CLAIM,
)
from postsale.claim import claim_event
from postsale.conversation_id import CHANNEL, conversation_id
from postsale.language import site_language

logger = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
REMEMBER_SECONDS = 60.0
# An open thread is not asked again for its state within this time. If the marketplace blocks it
# meanwhile, posting the reply fails with the block's reason and the conversation is handed off
# (`blocked_on_send`), the same outcome one GET earlier would have had.
OPEN_THREAD_SECONDS = 30.0
KNOWN_PACKS = 10_000  # packs whose orders (they never change) and open thread are remembered, at most


def _memo_key(seller: int, pack: str) -> str:
    return f"{seller}:{pack}"


def _remember(memory: dict[str, Any], key: str, value: Any) -> None:
    """Keep `value` under `key` as the newest entry; past KNOWN_PACKS the oldest goes."""
    memory.pop(key, None)
    memory[key] = value
    if len(memory) > KNOWN_PACKS:
        memory.pop(next(iter(memory)))


@dataclass
class Job:
    row: IntakeRow
    key: str | None  # conversation (pack) key; None when it could not be resolved
    message: IncomingMessage | None = None
    claim: dict[str, Any] | None = None
    outcome: str | None = None  # set when the job needs no further processing


class Processor:
    def __init__(self, clients: SellerClients, intake: Intake,
                 on_new_message: OnNewMessage, rasa_agent: Callable[[], Any] | None = None) -> None:
        self.clients = clients  # each row is handled with its store's client (row.seller_id)
        self.intake = intake
        self.on_new_message = on_new_message
        self.rasa_agent = rasa_agent or (lambda: None)
        # Keyed by "<seller>:<pack>" (_memo_key): nothing remembered for one store serves another.
        self._remembered: dict[str, tuple[dict[str, Any], float]] = {}
        self._open_threads: dict[str, float] = {}  # when the thread was last seen open
        self._packs: dict[str, dict[str, Any]] = {}  # the pack's orders and buyer

    # --- phase 1: find the conversation (parallel) ------------------------------------------
    async def resolve(self, row: IntakeRow) -> Job:
        client = self.clients.client(row.seller_id)
        if row.topic == "messages":
            try:
                message = parse_message(await client.get_message(row.resource))
            except MeliNotFound:
                return Job(row, None, outcome="message_not_found")
            return Job(row, message.pack_id, message=message)
        claim_id = row.resource.rstrip("/").rsplit("/", 1)[-1]
        try:
            claim = await client.get_claim(claim_id)
        except MeliNotFound:
            return Job(row, None, outcome="claim_not_found")
        return Job(row, await self._claim_pack(client, claim), claim=claim)

    async def _claim_pack(self, client: MeliClient, claim: dict[str, Any]) -> str | None:
        if claim.get("pack_id"):
            return str(claim["pack_id"])
        if claim.get("resource") == "order" and claim.get("resource_id"):
            try:
                order = await client.get_order(claim["resource_id"])
            except MeliNotFound:
                return str(claim["resource_id"])
            return str(order.get("pack_id") or order["id"])
        return None

    # --- phase 2: act (sequential per conversation) -----------------------------------------
    async def process(self, job: Job) -> str:
        if job.outcome:
            return job.outcome
        if job.key is None:
            return "no_conversation"
        # Only a row claimed before can have replies already (a crash after replying, before
        # marking it done); on the first attempt the check would be one more transaction per message.
        if job.row.attempts > 1 and await asyncio.to_thread(self.intake.replies_for_notification, job.row.id):
            await self._record_unrecorded_parts(job)
            return "already_answered"
        if job.message is not None:
            return await self._buyer_message(job)
        return await self._claim(job)

    async def _buyer_message(self, job: Job) -> str:
        msg = job.message
        seller = job.row.seller_id
        assert msg is not None and job.key is not None
        if msg.from_user_id == seller:
            return "own_message"
        if msg.status not in ("available", ""):
            return f"not_available:{msg.status}"
        context = await self._context(seller, job.key, msg)
        status = await self._thread_status(seller, job.key)
        metadata = {**context, "message_id": msg.id}
        if msg.attachments:  # shown to agents as thumbnails/links, fetched through the inbox
            metadata["attachments"] = [
                {"id": a.get("filename"), "name": a.get("original_filename") or a.get("filename"),
                 "type": a.get("type"), "size": a.get("size")} for a in msg.attachments if a.get("filename")]
        if status.get("status") == "blocked":
            reason = str(status.get("substatus") or "blocked")
            await self._handoff(job, BLOCKED_CONVERSATION, metadata, buyer_text=msg.text,
                                detail=reason, suppress=True)
            return f"blocked:{reason}"
        output = self._output(job, to_user=msg.from_user_id)
        conversation = conversation_id(seller, job.key)
        if msg.attachment_only:
            metadata["buyer_text"] = "[attachment] " + ", ".join(
                str(a.get("original_filename") or a.get("filename")) for a in msg.attachments)
            message: UserMessage = ChannelTrigger(catalogue.SYSTEM_ATTACHMENT, output, conversation,
                                                  input_channel=CHANNEL, message_id=msg.id, metadata=metadata)
        else:  # the buyer's words, read as words whatever they look like (connectors/trigger.py)
            message = UserMessage(msg.text, output, conversation, input_channel=CHANNEL, message_id=msg.id,
                                  metadata=metadata)
        await self.on_new_message(message)
        if says_solved(msg.text) and await self._close_by_buyer(conversation):
            closing = self._output(job, to_user=msg.from_user_id)
            await self.on_new_message(ChannelTrigger(catalogue.SYSTEM_RESOLVED, closing, conversation,
                                                     input_channel=CHANNEL, metadata=metadata))
            return "resolved_by_buyer"
        delivery = output.delivery
        if delivery.guarded:
            await self._handoff(job, BLOCKED_OUTGOING_TEXT, metadata, detail=delivery.guarded[0],
                                suppress=False, to_user=msg.from_user_id)
            return BLOCKED_OUTGOING_TEXT
        if delivery.moderated:
            await self._handoff(job, MODERATED_REPLY, metadata, detail=delivery.moderated[0].get("reason"),
                                suppress=False, to_user=msg.from_user_id)
            return "moderated"
        if delivery.blocked:
            self._open_threads.pop(_memo_key(seller, job.key), None)
            await self._handoff(job, BLOCKED_CONVERSATION, metadata, detail=delivery.blocked, suppress=True)
            return "blocked_on_send"
        if delivery.errors and not delivery.sent:
            # Not one part of the reply could be posted, even after the client's retries: rather than
            # leave the buyer unanswered, a person takes it (the handoff's own message is tried too).
            await self._handoff(job, BACKEND_ERROR, metadata, detail=delivery.errors[0], suppress=False,
                                to_user=msg.from_user_id)
            return "reply_failed"
        return "answered" if delivery.sent else "no_reply"

    async def _claim(self, job: Job) -> str:
        """Every `post_purchase` notification refreshes the claim in its tickets; an opened claim
        with no open ticket is handed to a person."""
        claim = job.claim or {}
        assert job.key is not None
        seller = job.row.seller_id
        view = await read_claim(self.clients.client(seller), claim)
        had_open = await self._refresh_claim(seller, job.key, view)
        if claim.get("status") != "opened":
            return f"claim_{claim.get('status')}"
        if had_open:
            return "claim_refreshed"
        conversation = await asyncio.to_thread(self.intake.conversation, seller, job.key)
        context = {"pack_id": job.key, "seller_id": seller,
                   "site_id": claim.get("site_id") or (conversation or {}).get("site_id")}
        context["language"] = site_language(context["site_id"])
        context.update(await self._orders_of(seller, job.key))
        await self._handoff(job, OPEN_CLAIM, {**context, "claim_id": claim.get("id")},
                            detail=f"{claim.get('reason_id')} {claim.get('stage')}", suppress=True)
        await self._refresh_claim(seller, job.key, view)  # the ticket just made shows this very claim
        return "claim_handoff"

    async def _refresh_claim(self, seller: int, pack_key: str, view: dict[str, Any]) -> bool:
        """Write the claim into the conversation's open ticket (a ticket without a claim becomes a
        Complaint about it), or, when none is open, record the outcome in the claim's last
        ticket. A move to dispute or a closing is written in the ticket's trail. Returns whether
        an open ticket was there."""
        conversation = conversation_id(seller, pack_key)
        ticket = await asyncio.to_thread(tickets.open_for, conversation)
        if ticket is None:
            found = await asyncio.to_thread(tickets.for_claim, view.get("id"))
            if not found:
                return False
            ticket = found[0]
        elif not ticket.get("claim"):
            await asyncio.to_thread(tickets.save, {
                "id": str(uuid.uuid4()), "conversation_id": conversation, "interaction_type": COMPLAINT,
                "reason": OPEN_CLAIM, "claim": view})
            logger.info("open ticket %s upgraded with claim %s", ticket["id"], view.get("id"))
        event = claim_event(ticket.get("claim"), view)
        extra = {"claim_event": {"kind": event, "at": time.time()}} if event else {}
        await asyncio.to_thread(tickets.set_claim, ticket["id"], view, **extra)
        if event:
            detail = (view.get("resolution") or {}).get("reason") if event == "closed" else view.get("stage")
            await asyncio.to_thread(tickets.audit, ticket["id"], "mercadolibre", f"claim_{event}", detail)
            logger.info("ticket %s: claim %s %s", ticket["id"], view.get("id"), event)
        return ticket["status"] in tickets.OPEN

    async def _close_by_buyer(self, conversation: str) -> bool:
        """The buyer says it is solved while with a person: close the ticket, resume the bot."""
        agent = self.rasa_agent()
        ticket = await asyncio.to_thread(tickets.open_for, conversation)
        if ticket is None or agent is None:
            return False
        await resume_bot(agent, conversation)
        await asyncio.to_thread(tickets.update, ticket["id"], status="resolved", assignee="buyer",
                                resolved_at=time.time())
        logger.info("ticket %s closed by the buyer", ticket["id"])
        return True

    # --- helpers -----------------------------------------------------------------------------
    async def _record_unrecorded_parts(self, job: Job) -> None:
        """A process killed between posting one part of an answer and recording it left that part
        in the thread but not in meli_replies. The buyer has it; the inbox's transcript and the
        duplicate checks must too: the seller's unrecorded messages of the thread, from this
        notification's first recorded part on, are recorded as its replies."""
        assert job.key is not None
        seller = job.row.seller_id
        recorded = await asyncio.to_thread(self.intake.replies_for, job.key)
        known = {str(r["message_id"]) for r in recorded if r["message_id"]}
        ours = [str(r["message_id"]) for r in recorded if r["notification_id"] == job.row.id and r["message_id"]]
        try:
            thread = await self.clients.client(seller).get_pack_messages(job.key, seller, limit=20)
        except MeliError as err:
            logger.warning("thread of pack %s unavailable to reconcile replies: %s", job.key, err)
            return
        messages = thread.get("messages") or []
        created = {str(m.get("id")): str((m.get("message_date") or {}).get("created") or "") for m in messages}
        since = min((created[i] for i in ours if i in created), default=None)
        if since is None:
            return
        for msg in messages:
            message_id = str(msg.get("id"))
            if (message_id not in known and created[message_id] >= since
                    and str((msg.get("from") or {}).get("user_id")) == str(seller)):
                await asyncio.to_thread(self.intake.record_reply, seller, job.key, str(msg.get("text") or ""),
                                        "sent", message_id, None, job.row.id)
                logger.info("reply %s of notification %s was posted before a restart: recorded", message_id,
                            job.row.id)

    async def _thread_status(self, seller: int, pack_key: str) -> dict[str, Any]:
        """The thread's `conversation_status`; an open thread seen lately is not fetched again."""
        memo = _memo_key(seller, pack_key)
        seen = self._open_threads.get(memo)
        if seen is not None and time.monotonic() - seen < OPEN_THREAD_SECONDS:
            return {"status": "active"}
        thread = await self.clients.client(seller).get_pack_messages(pack_key, seller, limit=1)
        status = thread.get("conversation_status") or {}
        if status.get("status") == "blocked":
            self._open_threads.pop(memo, None)
        else:
            _remember(self._open_threads, memo, time.monotonic())
        return status

    async def _context(self, seller: int, pack_key: str, msg: IncomingMessage) -> dict[str, Any]:
        orders = await self._orders_of(seller, pack_key)
        site = msg.site_id
        values = {"site_id": site, "buyer_id": orders.get("buyer_id"), "last_from_user_id": msg.from_user_id,
                  "order_ids": orders.get("order_ids")}
        # The same buyer writing again changes nothing: skip the write (a transaction per message),
        # but not for long, so what another replica wrote meanwhile is overwritten soon enough.
        memo = _memo_key(seller, pack_key)
        last = self._remembered.get(memo)
        if last is None or last[0] != values or time.monotonic() - last[1] > REMEMBER_SECONDS:
            await asyncio.to_thread(self.intake.remember_conversation, seller, pack_key, **values)
            _remember(self._remembered, memo, (values, time.monotonic()))
        return {**orders, "seller_id": seller, "site_id": site, "language": site_language(site)}

    async def _orders_of(self, seller: int, pack_key: str) -> dict[str, Any]:
        """Pack → its orders; a 404 means the "pack" is an order id (packs can be null)."""
        memo = _memo_key(seller, pack_key)
        if memo in self._packs:
            return dict(self._packs[memo])
        orders = await self._find_orders(seller, pack_key)
        if orders.get("order_ids"):
            _remember(self._packs, memo, orders)
        return dict(orders)

    async def _find_orders(self, seller: int, pack_key: str) -> dict[str, Any]:
        known = await asyncio.to_thread(self.intake.conversation, seller, pack_key)
        if known and known.get("order_ids"):
            ids = json.loads(known["order_ids"])
            is_pack = ids != [pack_key]
            return {"pack_id": pack_key if is_pack else None, "order_id": ids[0], "order_ids": ids,
                    "buyer_id": known.get("buyer_id")}
        try:
            pack = await self.clients.client(seller).get_pack(pack_key)
            ids = [str(o["id"]) for o in pack.get("orders") or []]
            return {"pack_id": pack_key, "order_id": ids[0] if ids else None, "order_ids": ids,
                    "buyer_id": (pack.get("buyer") or {}).get("id")}
        except MeliNotFound:
            order = await self.clients.client(seller).get_order(pack_key)
            return {"pack_id": None, "order_id": pack_key, "order_ids": [pack_key],
                    "buyer_id": (order.get("buyer") or {}).get("id")}

    def _output(self, job: Job, to_user: int | None, suppress: bool = False) -> MercadoLibreOutput:
        assert job.key is not None
        seller = job.row.seller_id
        return MercadoLibreOutput(self.clients.client(seller), self.intake, seller, job.key, to_user,
                                  notification_row=job.row.id, suppress=suppress, retried=job.row.attempts > 1)

    async def _handoff(self, job: Job, reason: str, metadata: dict[str, Any], *, detail: Any = None,
                       buyer_text: str | None = None, suppress: bool, to_user: int | None = None) -> None:
        assert job.key is not None
        meta = {**metadata, "handoff_reason": reason, "handoff_detail": detail}
        if buyer_text is not None:
            meta["buyer_text"] = buyer_text
        logger.info("conversation %s handed off: %s (%s)", job.key, reason, detail)
        await self.on_new_message(ChannelTrigger(catalogue.SYSTEM_HANDOFF, self._output(job, to_user, suppress),
                                                 conversation_id(job.row.seller_id, job.key),
                                                 entities={"handoff_reason": reason}, input_channel=CHANNEL,
                                                 metadata=meta))
