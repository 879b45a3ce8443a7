"""Output channel: the bot's replies posted into the pack's Mercado Libre thread."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import OutputChannel

from connectors.mercadolibre.intake import Intake
from connectors.mercadolibre.reply_text import prepare
from meli import MeliClient, MeliError, MeliUnavailable
from postsale import conversation_id
from postsale.guard import check_outgoing
from postsale.masking import mask

logger = logging.getLogger(__name__)
# A reply POST that got no answer may still land: it is looked for in the thread for this long
# (every POLL seconds) before it is sent again, at most AMBIGUOUS_RESENDS times.
LANDING_WAIT_SECONDS = 6.0
LANDING_POLL_SECONDS = 1.0
AMBIGUOUS_RESENDS = 2


@dataclass
class Delivery:
    """What happened to the replies of one buyer message (read by the worker afterwards)."""

    sent: list[str] = field(default_factory=list)
    moderated: list[dict[str, Any]] = field(default_factory=list)
    blocked: str | None = None
    errors: list[str] = field(default_factory=list)
    guarded: list[str] = field(default_factory=list)  # kinds the outgoing-text guard stopped


class MercadoLibreOutput(OutputChannel):
    """Posts each reply, split to 350 latin-1 characters, to the sender of the last message.

    Every reply passes the outgoing-text guard first. A blocked reply is not posted (it is
    stored masked, with its kind) and neither is the rest of that turn, which was written
    around it; the channel then hands the conversation off (`blocked_outgoing_text`), and the
    handoff's own message, in the buyer's language, is what the buyer reads instead.
    """

    def __init__(
        self,
        client: MeliClient,
        intake: Intake,
        seller_id: int,
        pack_id: str,
        to_user_id: int | None,
        notification_row: int | None = None,
        suppress: bool = False,
        retried: bool = False,
    ) -> None:
        self.retried = retried  # the notification was claimed before: a crash may have posted already
        self.client = client
        self.intake = intake
        self.seller_id = seller_id
        self.pack_id = pack_id
        self.to_user_id = to_user_id
        self.notification_row = notification_row
        self.suppress = suppress
        self.delivery = Delivery()
        self.attachments: list[str] = []  # uploaded file ids, linked to the first part posted

    @classmethod
    def name(cls) -> str:
        return conversation_id.CHANNEL

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        if self.delivery.guarded:
            await self._record(mask(text), "not_sent")
            return
        verdict = check_outgoing(text)
        if not verdict.allowed:
            logger.warning("reply to pack %s blocked by the outgoing-text guard: %s (%s)", self.pack_id,
                           verdict.kind, mask(verdict.excerpt(text)))
            self.delivery.guarded.append(str(verdict.kind))
            await self._record(mask(text), "blocked_by_guard", reason=verdict.kind)
            return
        if self.suppress or self.to_user_id is None:
            logger.info("reply to pack %s not posted (conversation cannot receive it)", self.pack_id)
            await self._record(text, "not_sent")
            return
        for chunk in prepare(text):
            if self.delivery.blocked:
                await self._record(chunk, "not_sent")
                continue
            try:
                body = await self._post(chunk)
            except MeliError as err:
                self.delivery.errors.append(str(err))
                if err.status == 403:
                    self.delivery.blocked = err.message or "forbidden"
                await self._record(chunk, f"error_{err.status or err.code}")
                continue
            status = str(body.get("status") or "available")
            moderation = body.get("message_moderation") or {}
            reason = moderation.get("reason")
            if status in ("moderated", "rejected") or moderation.get("status") == "rejected":
                self.delivery.moderated.append({"text": chunk, "reason": reason, "id": body.get("id")})
                await self._record(chunk, "moderated", body.get("id"), reason)
            else:
                self.delivery.sent.append(chunk)
                await self._record(chunk, "sent", body.get("id"))

    async def _post(self, chunk: str) -> dict[str, Any]:
        """Post one chunk once. The messaging API has no idempotency key and a POST that timed out
        may have been carried out, so before sending it again the thread is searched for it:
        sending blindly is how a buyer gets the same answer twice. The same goes for a retried
        notification: a process killed between the POST and its record had posted already."""
        if self.retried:
            landed = await self._landed(chunk, wait=False)
            if landed is not None:
                logger.info("reply to pack %s was posted before a restart (%s)", self.pack_id, landed.get("id"))
                return landed
        resends = 0
        while True:
            try:
                sent = await self.client.send_message(self.pack_id, self.seller_id, self.to_user_id, chunk,
                                                      retry_ambiguous=False, attachments=self.attachments or None)
                self.attachments = []
                return sent
            except MeliUnavailable as err:
                if not err.ambiguous or resends >= AMBIGUOUS_RESENDS:
                    raise
                logger.warning("reply to pack %s got no answer (%s); looking for it in the thread", self.pack_id,
                               err.code)
                landed = await self._landed(chunk)
                if landed is not None:
                    logger.info("reply to pack %s had been posted (%s)", self.pack_id, landed.get("id"))
                    return landed
                resends += 1

    async def _landed(self, chunk: str, wait: bool = True) -> dict[str, Any] | None:
        """Our message with this text in the thread that no recorded reply accounts for, if any."""
        replies = await asyncio.to_thread(self.intake.replies_for, self.pack_id)
        known = {r["message_id"] for r in replies if r["message_id"]}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LANDING_WAIT_SECONDS
        while True:
            try:
                thread = await self.client.get_pack_messages(self.pack_id, self.seller_id, limit=20)
            except MeliError:
                thread = {}
            for msg in thread.get("messages") or []:
                if (str((msg.get("from") or {}).get("user_id")) == str(self.seller_id)
                        and str((msg.get("to") or {}).get("user_id")) == str(self.to_user_id)
                        and str(msg.get("text") or "").strip() == chunk.strip() and str(msg.get("id")) not in known):
                    return msg
            if not wait or loop.time() >= deadline:
                return None
            await asyncio.sleep(LANDING_POLL_SECONDS)

    async def _record(self, text: str, status: str, message_id: Any = None, reason: Any = None) -> None:
        await asyncio.to_thread(
            self.intake.record_reply, self.seller_id, self.pack_id, text, status,
            str(message_id) if message_id else None, str(reason) if reason else None,
            self.notification_row,
        )
