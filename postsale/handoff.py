"""Handoff tickets: what a person needs to take over without asking the buyer again.

The agent sees what the seed journey promises: the message origin, the interaction type
(Help/Complaint), the reason, the order data and purchased products, the claim, and the
transcript. Building the ticket is pure: the action server fills the order from the API and
delivers it; the marketplace channel and the inbox read the same shape.

Every destination keeps a copy of the ticket (a file, a CRM, the SQL table), so its transcript
and error detail are masked here, once: an e-mail, phone or document number the buyer typed is
in no copy. Agents read the conversation itself live from the tracker store (the inbox).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from postsale import catalogue, conversation_id, transcript
from postsale.catalogue import COMPLAINT, HELP
from postsale.data_requests import decide
from postsale.masking import mask
from postsale.order import OrderContext
from postsale.settings import Handoff

ORIGINS = {conversation_id.CHANNEL: "Mercado Libre", "rest": "REST", "cmdline": "shell", "inbox": "inbox"}


@dataclass
class HandoffRequest:
    reason: str
    interaction_type: str = HELP
    claim: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


def request_for_intent(intent: str | None, latest: Mapping[str, Any] | None = None) -> HandoffRequest:
    """Complaint intents → Complaint; the channel's `system_handoff` carries its own reason."""
    if catalogue.is_complaint(intent):
        return HandoffRequest(intent or "complaint", COMPLAINT)
    if intent == catalogue.SYSTEM_HANDOFF:
        meta = (latest or {}).get("metadata") or {}
        entities = {e.get("entity"): e.get("value") for e in (latest or {}).get("entities") or []}
        reason = str(entities.get("handoff_reason") or meta.get("handoff_reason") or "channel")
        detail = str(meta.get("handoff_detail") or "")
        complaint = reason in catalogue.CLAIM_REASONS or "mediation" in detail or "claim" in detail
        return HandoffRequest(reason, COMPLAINT if complaint else HELP,
                              error={"detail": detail} if detail else None)
    return HandoffRequest(catalogue.REQUEST_HUMAN, HELP)


def new_ticket(*, conversation_id: str, channel: str, request: HandoffRequest, intent: str | None,
               language: str | None, events: Iterable[Mapping[str, Any]], config: Handoff) -> dict[str, Any]:
    """A ticket without order data yet (see `add_order`)."""
    decision = decide(channel, config.assistant_kind, list(config.data_requests))
    return {
        "id": str(uuid.uuid4()),
        "created_at": datetime.now(timezone.utc).isoformat(),
        "conversation_id": conversation_id,
        "origin": ORIGINS.get(channel, channel),
        "channel": channel,
        "interaction_type": request.interaction_type,
        "reason": request.reason,
        "intent": intent,
        "language": language,
        "order": None,
        "products": [],
        "claim": request.claim,
        "error": {k: mask(v) if isinstance(v, str) else v for k, v in request.error.items()} if request.error
        else None,
        "transcript": [{**line, "text": mask(line["text"])} for line in transcript.for_ticket(events)],
        "data_requests": decision.as_dict(),
    }


def add_order(ticket: dict[str, Any], ctx: OrderContext) -> None:
    ticket["order"] = ctx.ticket_data()
    ticket["products"] = ctx.products
