"""Handoff to a person: build the ticket an agent needs, deliver it, pause the bot.

The agent sees what the seed journey promises: the message origin, the interaction type
(Help/Complaint), the reason, the order data and purchased products, and the transcript, so
nobody has to ask the buyer again. Destinations come from the `handoff` section of
endpoints.yml (JSON-lines file and/or HTTP webhook); environment variables override them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import tickets
from actions.answer import COMPLAINT, HELP, HandoffRequest
from actions.business_hours import next_opening, opening_text
from actions.claim import claim_summary, claims_of
from actions.data_requests import decide
from actions.order import OrderContext, load_order_context
from meli import MeliClient, MeliError

logger = logging.getLogger(__name__)

COMPLAINT_INTENTS = {
    "complaint_not_received",
    "complaint_damaged",
    "complaint_not_as_described",
    "complaint_no_refund",
    "complaint_warranty",
}
ORIGINS = {"mercadolibre": "Mercado Libre", "rest": "REST", "cmdline": "shell", "inbox": "inbox"}
_file_lock = asyncio.Lock()


def load_destinations() -> dict[str, Any]:
    """The `handoff` section of endpoints.yml, with HANDOFF_* environment overrides."""
    path = Path(os.environ.get("RASA_ENDPOINTS", "endpoints.yml"))
    config: dict[str, Any] = {}
    if path.exists():
        config = dict((yaml.safe_load(path.read_text()) or {}).get("handoff") or {})
    for key in ("jsonl_path", "webhook_url", "webhook_secret", "assistant_kind"):
        env = os.environ.get(f"HANDOFF_{key.upper()}")
        if env is not None:
            config[key] = env or None
    if os.environ.get("HANDOFF_INBOX") is not None:
        config["inbox"] = os.environ["HANDOFF_INBOX"].lower() in ("1", "true", "yes")
    return config


def transcript(tracker: Tracker) -> list[dict[str, Any]]:
    """Buyer and bot lines; channel triggers ("/system_...") show the buyer text they carry."""
    lines = []
    for event in tracker.events:
        kind, text = event.get("event"), event.get("text")
        if kind == "user" and text and text.startswith("/"):
            text = (event.get("metadata") or {}).get("buyer_text") or (
                (event.get("parse_data") or {}).get("metadata") or {}
            ).get("buyer_text")
        if kind in ("user", "bot") and text:
            lines.append({"from": "buyer" if kind == "user" else "bot", "text": text,
                          "at": _iso(event.get("timestamp"))})
    return lines


def order_data(ctx: OrderContext) -> dict[str, Any]:
    return {
        "order_id": ctx.order_id,
        "pack_id": ctx.pack_id,
        "order_ids": [str(o.get("id")) for o in ctx.orders],
        "site_id": ctx.site_id,
        "status": ctx.main.get("status"),
        "date_created": ctx.main.get("date_created"),
        "total_amount": sum(float(o.get("total_amount") or 0) for o in ctx.orders),
        "currency_id": ctx.currency,
        "payments": [
            {
                "status": p.get("status"),
                "status_detail": p.get("status_detail"),
                "method": p.get("payment_method_id"),
                "installments": p.get("installments"),
                "amount": p.get("transaction_amount"),
                "refunded": p.get("transaction_amount_refunded"),
            }
            for p in ctx.payments
        ],
        "shipment_id": ctx.shipment_id,
        "cancel_detail": ctx.main.get("cancel_detail"),
    }


async def build_ticket(
    tracker: Tracker, request: HandoffRequest, client: MeliClient | None,
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    channel = tracker.get_latest_input_channel() or "rest"
    ticket: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "created_at": datetime.now(timezone.utc).isoformat(),
        "conversation_id": tracker.sender_id,
        "origin": ORIGINS.get(channel, channel),
        "channel": channel,
        "interaction_type": request.interaction_type,
        "reason": request.reason,
        "intent": intent,
        "language": tracker.get_slot("language"),
        "order": None,
        "products": [],
        "claim": request.claim,
        "error": request.error,
        "transcript": transcript(tracker),
    }
    config = config if config is not None else load_destinations()
    decision = decide(channel, config.get("assistant_kind"), config.get("data_requests"))
    ticket["data_requests"] = decision.as_dict()
    order_id, pack_id = tracker.get_slot("order_id"), tracker.get_slot("pack_id")
    if client and (order_id or pack_id) and request.reason != "backend_error":
        try:
            ctx = await load_order_context(client, order_id=order_id, pack_id=pack_id)
            ticket["order"] = order_data(ctx)
            ticket["products"] = ctx.products
            if ticket["claim"] is None and request.interaction_type == COMPLAINT:
                open_claims = [c for c in await claims_of(client, ctx) if c.get("status") == "opened"]
                if open_claims:
                    ticket["claim"] = claim_summary(open_claims[0])
        except MeliError as err:
            ticket["error"] = err.as_dict()
    if ticket["order"] is None and (order_id or pack_id):
        ticket["order"] = {"order_id": order_id, "pack_id": pack_id}
    return ticket


async def deliver(ticket: dict[str, Any], destinations: dict[str, Any] | None = None) -> list[str]:
    """Send the ticket to every configured destination; returns the ones that took it."""
    destinations = destinations if destinations is not None else load_destinations()
    delivered = []
    if destinations.get("inbox"):
        try:
            await asyncio.to_thread(tickets.save, ticket)
            delivered.append("inbox")
        except Exception as exc:  # noqa: BLE001 - the other destinations must still be tried
            logger.error("handoff ticket %s not stored for the inbox: %s", ticket["id"], exc)
    if destinations.get("jsonl_path"):
        path = Path(destinations["jsonl_path"])
        try:
            async with _file_lock:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(ticket, ensure_ascii=False) + "\n")
            delivered.append("jsonl")
        except OSError as exc:
            logger.error("handoff ticket %s not written to %s: %s", ticket["id"], path, exc)
    if destinations.get("webhook_url"):
        body = json.dumps(ticket, ensure_ascii=False).encode()
        headers = {"content-type": "application/json"}
        if destinations.get("webhook_secret"):
            digest = hmac.new(destinations["webhook_secret"].encode(), body, hashlib.sha256)
            headers["x-signature-sha256"] = digest.hexdigest()
        try:
            async with httpx.AsyncClient(timeout=5) as http:
                response = await http.post(destinations["webhook_url"], content=body, headers=headers)
                response.raise_for_status()
            delivered.append("webhook")
        except httpx.HTTPError as exc:
            logger.error("handoff ticket %s not accepted by webhook: %s", ticket["id"], exc)
    if not delivered:
        logger.error("handoff ticket %s reached no destination", ticket["id"])
    return delivered


CHANNEL_COMPLAINT_REASONS = {"open_claim", "mediation"}


def request_for_intent(intent: str | None, latest: dict[str, Any] | None = None) -> HandoffRequest:
    """Complaint intents → Complaint; the channel's `system_handoff` carries its own reason."""
    if intent in COMPLAINT_INTENTS:
        return HandoffRequest(intent or "complaint", COMPLAINT)
    if intent == "system_handoff":
        meta = (latest or {}).get("metadata") or {}
        entities = {e.get("entity"): e.get("value") for e in (latest or {}).get("entities") or []}
        reason = str(entities.get("handoff_reason") or meta.get("handoff_reason") or "channel")
        detail = str(meta.get("handoff_detail") or "")
        complaint = reason in CHANNEL_COMPLAINT_REASONS or "mediation" in detail or "claim" in detail
        return HandoffRequest(reason, COMPLAINT if complaint else HELP,
                              error={"detail": detail} if detail else None)
    return HandoffRequest("request_human", HELP)


async def hand_off(
    tracker: Tracker, request: HandoffRequest, client: MeliClient | None,
    dispatcher: CollectingDispatcher | None = None,
) -> list[EventType]:
    config = load_destinations()
    ticket = await build_ticket(tracker, request, client, config)
    targets = await deliver(ticket, config)
    opening = next_opening(config.get("business_hours"))
    if opening is not None and dispatcher is not None:
        dispatcher.utter_message(response="utter_handoff_out_of_hours", opens_at=opening_text(opening))
    logger.info(
        "handoff %s conversation=%s type=%s reason=%s delivered=%s",
        ticket["id"], tracker.sender_id, request.interaction_type, request.reason, targets,
    )
    return [SlotSet("handoff_ticket", ticket["id"]), ConversationPaused()]


def _iso(timestamp: Any) -> str | None:
    if isinstance(timestamp, (int, float)):
        return datetime.fromtimestamp(timestamp, timezone.utc).isoformat()
    return None
