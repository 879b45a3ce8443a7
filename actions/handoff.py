"""Handoff to a person from a dialogue turn: build the ticket, deliver it, pause the bot.

The ticket's shape is postsale.handoff's; here the tracker and the API fill it: the transcript
from the conversation's events, the order and products from Mercado Libre, the open claim for a
complaint. Destinations and business hours are the store's (postsale/stores.py: its overrides over
postsale.settings), read on every handoff so an admin's change applies to the next message.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers.claim import claims_of
from actions.delivery import deliver
from actions.order import load_order_context
from meli import MeliClient, MeliError
from meli.claims import read_claim
from postsale import stores
from postsale.business_hours import next_opening, opening_text
from postsale.catalogue import BACKEND_ERROR, COMPLAINT
from postsale.handoff import HandoffRequest, add_order, new_ticket
from postsale.settings import Handoff

logger = logging.getLogger(__name__)


async def build_ticket(
    tracker: Tracker, request: HandoffRequest, client: MeliClient | None, config: Handoff | None = None,
) -> dict[str, Any]:
    config = config if config is not None else stores.handoff_for_conversation(tracker.sender_id)
    ticket = new_ticket(
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "rest",
        request=request,
        intent=(tracker.latest_message.get("intent") or {}).get("name"),
        language=tracker.get_slot("language"),
        events=tracker.events,
        config=config,
    )
    order_id, pack_id = tracker.get_slot("order_id"), tracker.get_slot("pack_id")
    if client and (order_id or pack_id) and request.reason != BACKEND_ERROR:
        try:
            ctx = await load_order_context(client, order_id=order_id, pack_id=pack_id)
            add_order(ticket, ctx)
            claim = None
            if ticket["claim"] and ticket["claim"].get("id"):
                claim = await client.get_claim(ticket["claim"]["id"])
            elif request.interaction_type == COMPLAINT:
                claim = next((c for c in await claims_of(client, ctx) if c.get("status") == "opened"), None)
            if claim:  # stage, deadline, reputation, return and messages: postsale.claim
                ticket["claim"] = await read_claim(client, claim)
        except MeliError as err:
            ticket["error"] = err.as_dict()
    if ticket["order"] is None and (order_id or pack_id):
        ticket["order"] = {"order_id": order_id, "pack_id": pack_id}
    return ticket


async def hand_off(
    tracker: Tracker, request: HandoffRequest, client: MeliClient | None,
    dispatcher: CollectingDispatcher | None = None,
) -> list[EventType]:
    config = stores.handoff_for_conversation(tracker.sender_id)  # the store's settings, read on every handoff
    ticket = await build_ticket(tracker, request, client, config)
    targets = await deliver(ticket, config)
    opening = next_opening(config.business_hours)
    if opening is not None and dispatcher is not None:
        claim = ticket.get("claim") or {}
        due = claim.get("due_at") if claim.get("status") == "opened" else None
        if due:  # the claim's deadline does not wait for opening hours: the buyer sees it too
            when = datetime.fromtimestamp(due, opening.tzinfo)
            dispatcher.utter_message(response="utter_handoff_out_of_hours_claim", opens_at=opening_text(opening),
                                     claim_due=opening_text(when))
        else:
            dispatcher.utter_message(response="utter_handoff_out_of_hours", opens_at=opening_text(opening))
    logger.info(
        "handoff %s conversation=%s type=%s reason=%s delivered=%s",
        ticket["id"], tracker.sender_id, request.interaction_type, request.reason, targets,
    )
    return [SlotSet("handoff_ticket", ticket["id"]), ConversationPaused()]
