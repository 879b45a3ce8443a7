"""The REST channel (`POST /webhooks/rest/webhook`), as the product exposes it.

Rasa's own RestInput trusts its caller with everything: the sender id (so `meli-<seller>-<pack>`
writes into a real buyer's marketplace conversation), `input_channel` (so a caller passes for
the marketplace channel), and any metadata (so `metadata.order_id` picks any order of the store,
and `buyer_text` or `handoff_reason` land in tickets). This one, same URL and body:
- with REST_AUTH_TOKEN set, needs `Authorization: Bearer <token>`; in production it is off
  without one (403 with a reason), since anyone could otherwise read orders through it;
- refuses `meli-` sender ids and odd ones, empty or huge messages, non-JSON bodies (400);
- always records its messages as `rest`, whatever the body says;
- passes only the metadata keys a REST integration needs (order_id, pack_id: ids checked by
  postsale.ids; site_id; language) and drops the rest. Which order a conversation may use is
  then decided by the action server (actions/slots.py: the first order binds the conversation).
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from postsale import conversation_id, ids, settings
from postsale.settings import SettingsError

logger = logging.getLogger(__name__)
CHANNEL = "rest"
MAX_MESSAGE = 4000
_SENDER = re.compile(r"[A-Za-z0-9_.:@+-]{1,128}")
_SITE = re.compile(r"M[A-Z]{2}")
LANGUAGES = ("pt", "es")


class BadRequest(ValueError):
    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def check_settings(cls, credentials: dict[str, Any] | None) -> None:
        if credentials:
            raise SettingsError("credentials.yml: connectors.rest.RestInput takes no values; set REST_AUTH_TOKEN "
                                f"instead of {', '.join(sorted(credentials))}")

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        cls.check_settings(credentials)
        current = settings.current()
        return cls(current.rest_token, enabled=bool(current.rest_token) or not current.production)

    def __init__(self, token: str | None = None, enabled: bool = True) -> None:
        self.token = token
        self.enabled = enabled
        if not enabled:
            logger.warning("REST channel off: production without REST_AUTH_TOKEN")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("rest_webhook", __name__)
        channel = self

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if channel.enabled else "disabled"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                channel.authorize(request)
                sender, text, metadata = read_body(request)
            except BadRequest as refused:
                return response.json({"error": refused.error, "detail": refused.detail}, refused.status)
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(text, collector, sender, input_channel=CHANNEL, metadata=metadata))
            return response.json(collector.messages)

        return bp

    def authorize(self, request: Request) -> None:
        if not self.enabled:
            raise BadRequest(403, "rest_disabled", "the REST channel is off in production without REST_AUTH_TOKEN")
        if self.token is None:
            return
        scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            raise BadRequest(401, "unauthorized", "Authorization: Bearer <REST_AUTH_TOKEN> required")


def read_body(request: Request) -> tuple[str, str, dict[str, Any]]:
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - Sanic raises its own error on bad JSON
        body = None
    if not isinstance(body, dict):
        raise BadRequest(400, "invalid_body", 'a JSON object {"sender", "message", "metadata"} is required')
    sender, text = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not _SENDER.fullmatch(sender):
        raise BadRequest(400, "invalid_sender", "sender: 1-128 letters, digits or _.:@+-")
    if conversation_id.is_reserved(sender):
        raise BadRequest(400, "reserved_sender", "sender ids starting with meli- belong to the marketplace channel")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE:
        raise BadRequest(400, "invalid_message", f"message: 1-{MAX_MESSAGE} characters of text")
    return sender, text, allowed_metadata(body.get("metadata"))


def allowed_metadata(metadata: Any) -> dict[str, Any]:
    """Only what a REST integration may tell the bot, each value checked."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise BadRequest(400, "invalid_metadata", "metadata must be an object")
    kept: dict[str, Any] = {}
    for key in ("order_id", "pack_id"):
        if metadata.get(key) is not None:
            value = ids.valid(metadata[key])
            if value is None:
                raise BadRequest(400, "invalid_metadata", f"metadata.{key} is not a Mercado Libre id")
            kept[key] = value
    site = metadata.get("site_id")
    if site is not None:
        if not isinstance(site, str) or not _SITE.fullmatch(site):
            raise BadRequest(400, "invalid_metadata", "metadata.site_id is not a Mercado Libre site (MLB, MLA...)")
        kept["site_id"] = site
    if metadata.get("language") in LANGUAGES:
        kept["language"] = metadata["language"]
    dropped = sorted(set(metadata) - set(kept) - {"language"})
    if dropped:
        logger.info("REST metadata keys dropped: %s", ", ".join(map(str, dropped))[:200])
    return kept
