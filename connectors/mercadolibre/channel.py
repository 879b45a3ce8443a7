"""Rasa input channel for Mercado Libre post-sale messages (`POST /webhooks/mercadolibre/webhook`).

The webhook only validates and stores: Mercado Libre wants a 200 within 500 ms and retries
otherwise, so the reply work happens in a background worker reading the durable intake.
In order, before anything is stored: the `?secret=`; the body size, from Content-Length and
while streaming, so an oversized body is refused before it is read; the notification itself;
its store (one application receives every authorising seller's notifications: a seller that is
no store of this deployment gets 200 and is dropped, a disconnected store's are kept for when it
connects again); the per-seller rate (rate_limit.py). The health route shows the intake's counts only to a
caller who gives the secret, and then they cost one query.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors import rasa_patches, retention
from connectors.mercadolibre.intake import Intake
from connectors.mercadolibre.intake_writer import IntakeWriter
from connectors.mercadolibre.notification import HANDLED_TOPICS, MAX_BODY_BYTES, InvalidNotification, parse
from connectors.mercadolibre.output import MercadoLibreOutput
from connectors.mercadolibre.processing import Processor
from connectors.mercadolibre.rate_limit import RateLimit
from connectors.mercadolibre.store_directory import StoreDirectory
from connectors.mercadolibre.worker import Worker
from meli import MeliClient, MeliError
from meli.sellers import SellerClients
from postsale import conversation_id, settings, stores
from postsale.db import get_engine
from postsale.settings import Marketplace, SettingsError

logger = logging.getLogger(__name__)
APP_CONTEXT_NAME = conversation_id.CHANNEL  # request.app.ctx.mercadolibre: the running channel, for the inbox


class MercadoLibreInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return conversation_id.CHANNEL

    @classmethod
    def check_settings(cls, credentials: dict[str, Any] | None) -> None:
        """Configured by MELI_* variables (postsale.settings), not by credentials.yml values."""
        if credentials:
            raise SettingsError("credentials.yml: connectors.mercadolibre.MercadoLibreInput takes no values; "
                                f"set MELI_* variables instead of {', '.join(sorted(credentials))}")
        settings.current().marketplace.require_channel()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        cls.check_settings(credentials)
        if not rasa_patches.applied():
            raise RuntimeError("start the Rasa server with `python -m connectors run ...` (as scripts/run.sh "
                               "does): it applies the Rasa patches this channel is measured with")
        current = settings.current()
        return cls(current.marketplace, current.database_url)

    def __init__(self, marketplace: Marketplace, db_url: str | None = None) -> None:
        marketplace.require_channel()
        assert marketplace.app_id is not None
        self.marketplace = marketplace
        self.api_url = marketplace.api_url
        self.app_id = marketplace.app_id
        self.webhook_secret = marketplace.webhook_secret
        self.rate = RateLimit(marketplace.webhook_rate_per_minute)
        engine = get_engine(db_url)
        self.intake = Intake(engine, marketplace.worker_id, marketplace.conversation_guard)
        self.writer = IntakeWriter(self.intake)
        # The upgrade path: MELI_SELLER_ID (with its token) is a connected store from the first start.
        if stores.seed_configured(marketplace.seller_id):
            logger.info("store %s (MELI_SELLER_ID) added as a connected store", marketplace.seller_id)
        self.stores = StoreDirectory()
        # The client's own 5 s timeout, not MELI_TIMEOUT: reply posting (output.py) waits for an
        # ambiguous POST to land with that timeout in mind.
        self.clients = SellerClients(marketplace, engine, timeout=5.0)
        self.worker: Worker | None = None
        self.recovery: asyncio.Task | None = None
        self.profiles: asyncio.Task | None = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("mercadolibre_webhook", __name__)
        channel = self

        @bp.listener("before_server_start")
        async def warm_up(app: Any, loop: Any) -> None:
            await asyncio.to_thread(channel.intake.warm_up)

        @bp.listener("after_server_start")
        async def start_worker(app: Any, loop: Any) -> None:
            setattr(app.ctx, APP_CONTEXT_NAME, channel)
            processor = Processor(channel.clients, channel.intake, on_new_message,
                                  rasa_agent=lambda: getattr(app.ctx, "agent", None))
            channel.worker = Worker(channel.intake, processor)
            channel.worker.in_burst = channel.writer.in_burst
            channel.worker.paused = channel.stores.paused
            channel.worker.start()
            channel.recovery = asyncio.get_event_loop().create_task(channel.recover_missed())
            channel.profiles = asyncio.get_event_loop().create_task(channel.fill_profiles())
            retention.schedule(app)

        @bp.listener("before_server_stop")
        async def stop_worker(app: Any, loop: Any) -> None:
            if channel.worker:
                await channel.worker.stop()
            for task in (channel.recovery, channel.profiles):
                if task and not task.done():
                    task.cancel()
            await retention.stop(app)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            if not channel.webhook_secret or not channel.secret_given(request):
                return response.json({"status": "ok"})
            counts = await asyncio.to_thread(channel.intake.counts)
            return response.json({"status": "ok", "intake": counts})

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            return await channel.receive(request)

        return bp

    def store_connected(self, seller_id: int) -> None:
        """A store connected (or again) in this process: its new tokens and its waiting
        notifications are used at once."""
        self.clients.forget(seller_id)
        self.stores.invalidate()
        if self.worker:
            self.worker.wake()

    def secret_given(self, request: Request) -> bool:
        given = request.args.get("secret") or ""
        return hmac.compare_digest(given.encode(), (self.webhook_secret or "").encode())

    async def receive(self, request: Request) -> HTTPResponse:
        if self.webhook_secret and not self.secret_given(request):
            return response.json({"error": "bad_secret", "detail": "?secret= missing or wrong"}, 401)
        try:
            raw = await read_capped(request, MAX_BODY_BYTES)
            note = parse(raw, self.app_id, request.headers.get("content-type"))
        except InvalidNotification as err:
            logger.warning("notification rejected: %s %s", err.status, err.reason)
            return response.json(err.body(), err.status)
        if not note.handled:
            return response.json({"status": "ignored", "topic": note.topic})
        if await self.stores.status(note.user_id) is None:
            # Not 403: the marketplace would retry it, and the application is ours; the seller is not.
            logger.info("notification for seller %s dropped: not a store of this deployment", note.user_id)
            return response.json({"status": "ignored", "reason": "store_not_connected"})
        if not self.rate.allow(note.user_id):
            wait = self.rate.retry_after(note.user_id)
            logger.warning("notification refused: seller %s over %s per minute", note.user_id, self.rate.capacity)
            return response.json({"error": "rate_limited", "detail": f"over {int(self.rate.capacity)} notifications "
                                  "per minute for this seller; delivered again later"}, 429,
                                 headers={"Retry-After": str(wait)})
        try:
            stored = await self.writer.add(note)
        except Exception:  # noqa: BLE001 - a non-200 makes Mercado Libre deliver it again
            logger.exception("intake write failed")
            return response.json({"error": "storage_unavailable"}, 503)
        if stored and self.worker:
            self.worker.wake()
        return response.json({"status": "accepted" if stored else "duplicate"})

    async def fill_profiles(self) -> None:
        """Nickname and site of stores that have none (the one configured by MELI_SELLER_ID, which
        never went through the connect flow), for the admin page. Best effort."""
        missing = [s for s in await asyncio.to_thread(stores.listing) if s.connected and not s.nickname]
        for store in missing:
            try:
                me = await self.clients.client(store.seller_id).me()
            except MeliError as err:
                logger.info("profile of store %s unavailable: %s", store.seller_id, err)
                continue
            await asyncio.to_thread(stores.set_profile, store.seller_id, me.get("nickname"), me.get("site_id"))

    async def recover_missed(self) -> None:
        """Notifications Mercado Libre gave up on (8 failed attempts) are in missed_feeds."""
        recovered = 0
        connected = await self.stores.connected()
        if not connected:
            return
        client = self.clients.client(connected[0])  # the feed is the application's: any store's token reads it
        for topic in HANDLED_TOPICS:
            try:
                feeds = await client.missed_feeds(self.app_id, topic, limit=50)
            except MeliError as err:
                logger.warning("missed_feeds for %s unavailable: %s", topic, err)
                continue
            for feed in feeds:
                raw = ((feed.get("request") or {}).get("data") or json.dumps(feed)).encode()
                try:
                    note = parse(raw, self.app_id)
                except InvalidNotification:
                    continue
                if note.handled and await self.stores.status(note.user_id) is not None \
                        and await asyncio.to_thread(self.intake.add, note):
                    recovered += 1
        if recovered:
            logger.info("recovered %d missed notifications", recovered)
            if self.worker:
                self.worker.wake()

    async def store_client(self, conversation: str) -> MeliClient | None:
        """The API client of the conversation's store, when it is a connected store of this
        deployment (the inbox reads claims and files with it); None otherwise."""
        parsed = conversation_id.parse(conversation)
        if parsed is None or await self.stores.status(parsed[0]) != stores.CONNECTED:
            return None
        return self.clients.client(parsed[0])

    async def send_agent_reply(self, conversation: str, text: str,
                               attachments: list[str] | None = None) -> dict[str, Any] | None:
        """Post an agent's reply in the conversation's thread, through the same output path as the
        bot (guard, latin-1, 350-character parts, moderation read, replies recorded); uploaded
        `attachments` go with the first part.

        None when `conversation` is not a conversation of a connected store of this deployment."""
        parsed = conversation_id.parse(conversation)
        if parsed is None or await self.stores.status(parsed[0]) != stores.CONNECTED:
            return None
        seller, pack = parsed
        known = await asyncio.to_thread(self.intake.conversation, seller, pack)
        output = MercadoLibreOutput(self.clients.client(seller), self.intake, seller, pack,
                                    (known or {}).get("last_from_user_id"))
        output.attachments = list(attachments or [])
        await output.send_text_message(conversation, text)
        d = output.delivery
        return {"sent": len(d.sent), "moderated": d.moderated, "blocked": d.blocked, "errors": d.errors}


async def read_capped(request: Request, limit: int) -> bytes:
    """The body of a streaming route, refused (413) past `limit` bytes without reading the rest:
    at once when Content-Length says so, else as soon as the chunks add up to more."""
    too_large = InvalidNotification(413, "body_too_large", f"limit is {limit} bytes")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise too_large if declared.isdigit() else InvalidNotification(400, "invalid_length", "Content-Length")
    if getattr(request, "stream", None) is None:  # not a streaming route (tests calling receive())
        return request.body or b""
    chunks, size = [], 0
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
