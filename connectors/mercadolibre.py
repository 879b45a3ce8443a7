"""Rasa input channel for Mercado Libre post-sale messages (`POST /webhooks/mercadolibre/webhook`).

The webhook only validates and stores: Mercado Libre wants a 200 within 500 ms and retries
otherwise, so the reply work happens in a background worker reading the durable intake.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors import registry
from connectors.intake import Intake
from connectors.intake_writer import IntakeWriter
from connectors.notification import HANDLED_TOPICS, InvalidNotification, parse
from connectors.offload import compile_action_validation, offload_inference
from connectors.processing import Processor
from connectors.worker import Worker
from meli import MeliClient, MeliError
from meli.client import DEFAULT_API_URL
from meli.db import get_engine
from meli.tokens import OAuthApp, TokenStore

logger = logging.getLogger(__name__)
compile_action_validation()  # this module is loaded by every Rasa server of the product (credentials.yml)


def _setting(credentials: dict[str, Any], key: str, env: str, default: Any = None) -> Any:
    value = credentials.get(key)
    if value in (None, ""):
        value = os.environ.get(env, default)
    return value if value not in ("",) else default


class MercadoLibreInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "mercadolibre"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        creds = credentials or {}
        return cls(
            api_url=_setting(creds, "api_url", "MELI_API_URL", DEFAULT_API_URL),
            app_id=_setting(creds, "app_id", "MELI_APP_ID"),
            seller_id=_setting(creds, "seller_id", "MELI_SELLER_ID"),
            client_id=_setting(creds, "client_id", "MELI_CLIENT_ID"),
            client_secret=_setting(creds, "client_secret", "MELI_CLIENT_SECRET"),
            refresh_token=_setting(creds, "refresh_token", "MELI_REFRESH_TOKEN"),
            access_token=_setting(creds, "access_token", "MELI_ACCESS_TOKEN"),
            webhook_secret=_setting(creds, "webhook_secret", "MELI_WEBHOOK_SECRET"),
            db_url=_setting(creds, "db_url", "MELI_DB_URL"),
        )

    def __init__(self, api_url: str, app_id: Any, seller_id: Any, client_id: str | None = None,
                 client_secret: str | None = None, refresh_token: str | None = None,
                 access_token: str | None = None, webhook_secret: str | None = None,
                 db_url: str | None = None) -> None:
        if not app_id or not seller_id:
            raise ValueError("mercadolibre channel needs MELI_APP_ID and MELI_SELLER_ID")
        if not (refresh_token or access_token):
            raise ValueError("mercadolibre channel needs MELI_REFRESH_TOKEN or MELI_ACCESS_TOKEN")
        self.api_url = api_url
        self.app_id = int(app_id)
        self.seller_id = int(seller_id)
        self.webhook_secret = webhook_secret or None
        engine = get_engine(db_url or None)
        self.intake = Intake(engine)
        self.writer = IntakeWriter(self.intake)
        oauth = MeliClient(api_url)
        app = OAuthApp(client_id, client_secret) if client_id and client_secret else None
        self.tokens = TokenStore(self.seller_id, app, oauth, engine, access_token, refresh_token)
        self.client = MeliClient(api_url, token_provider=self.tokens)
        self.worker: Worker | None = None
        registry.register("mercadolibre", self)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("mercadolibre_webhook", __name__)
        channel = self

        @bp.listener("after_server_start")
        async def start_worker(app: Any, loop: Any) -> None:
            offload_inference(getattr(app.ctx, "agent", None))
            processor = Processor(channel.client, channel.intake, channel.seller_id, on_new_message,
                                  rasa_agent=lambda: getattr(app.ctx, "agent", None))
            channel.worker = Worker(channel.intake, processor)
            channel.worker.in_burst = channel.writer.in_burst
            channel.worker.start()
            asyncio.get_event_loop().create_task(channel.recover_missed())

        @bp.listener("before_server_stop")
        async def stop_worker(app: Any, loop: Any) -> None:
            if channel.worker:
                await channel.worker.stop()

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            counts = await asyncio.to_thread(channel.intake.counts)
            return response.json({"status": "ok", "intake": counts})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await channel.receive(request)

        return bp

    async def receive(self, request: Request) -> HTTPResponse:
        if self.webhook_secret:
            given = request.args.get("secret") or ""
            if not hmac.compare_digest(given.encode(), self.webhook_secret.encode()):
                return response.json({"error": "bad_secret", "detail": "?secret= missing or wrong"}, 401)
        try:
            note = parse(request.body or b"", self.app_id, {self.seller_id}, request.headers.get("content-type"))
        except InvalidNotification as err:
            logger.warning("notification rejected: %s %s", err.status, err.reason)
            return response.json(err.body(), err.status)
        if not note.handled:
            return response.json({"status": "ignored", "topic": note.topic})
        try:
            stored = await self.writer.add(note)
        except Exception:  # noqa: BLE001 - a non-200 makes Mercado Libre deliver it again
            logger.exception("intake write failed")
            return response.json({"error": "storage_unavailable"}, 503)
        if stored and self.worker:
            self.worker.wake()
        return response.json({"status": "accepted" if stored else "duplicate"})

    async def recover_missed(self) -> None:
        """Notifications Mercado Libre gave up on (8 failed attempts) are in missed_feeds."""
        recovered = 0
        for topic in HANDLED_TOPICS:
            try:
                feeds = await self.client.missed_feeds(self.app_id, topic, limit=50)
            except MeliError as err:
                logger.warning("missed_feeds for %s unavailable: %s", topic, err)
                continue
            for feed in feeds:
                raw = ((feed.get("request") or {}).get("data") or json.dumps(feed)).encode()
                try:
                    note = parse(raw, self.app_id, {self.seller_id})
                except InvalidNotification:
                    continue
                if note.handled and await asyncio.to_thread(self.intake.add, note):
                    recovered += 1
        if recovered:
            logger.info("recovered %d missed notifications", recovered)
            if self.worker:
                self.worker.wake()
