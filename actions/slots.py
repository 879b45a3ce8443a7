"""Slots filled from the channel and the catalogue: language, the order, the Help topic.

The Mercado Libre channel puts the pack/order and the site in the message metadata, so the
buyer is never asked for what the marketplace already told us. On REST or shell the order
form asks for the number and checks it against the API before any answer uses it. The Help
topic is the intent of the latest Help question, as postsale.catalogue lists them.

Which order a conversation may read is decided here, not by whoever sends metadata:
- ids must be ids (postsale.ids): nothing else reaches the API;
- a marketplace conversation (`meli-<seller>-<pack>`) takes its order only from the marketplace
  channel's own metadata (a message recorded with another input channel sets nothing), and the
  order must be one of that pack's orders;
- any other conversation is bound to the first order it names (metadata or a typed number):
  later metadata naming another order is ignored, and the form never asks again once bound.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction, ValidationAction
from rasa_sdk.types import DomainDict

from actions.api import get_client
from actions.order import resolve_order_number
from meli import MeliError, MeliNotFound
from postsale import catalogue, conversation_id, ids
from postsale.language import resolve_language

logger = logging.getLogger(__name__)

ORDER_NUMBER = re.compile(r"(?<!\d)(\d[\d .-]{8,24}\d)(?!\d)")


def metadata(tracker: Tracker) -> dict[str, Any]:
    return dict((tracker.latest_message or {}).get("metadata") or {})


def find_order_number(text: Any) -> str | None:
    """Order and pack ids are 10-20 digits; buyers paste them with spaces or dots."""
    if text is None:
        return None
    for match in ORDER_NUMBER.finditer(str(text)):
        digits = re.sub(r"\D", "", match.group(1))
        if 10 <= len(digits) <= 20:
            return digits
    return None


class ValidateSlotMappings(ValidationAction):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        meta = metadata(tracker)
        lang = meta.get("language") if meta.get("language") in ("pt", "es") else None
        lang = lang or resolve_language(
            meta.get("site_id"), tracker.latest_message.get("text"), tracker.get_slot("language")
        )
        return {"language": lang}

    async def extract_help_topic(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Set by a Help question, kept through small talk and the order form."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return {"help_topic": intent} if catalogue.help_topic(intent) else {}

    async def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        order_id = order_from_metadata(tracker, "order_id")
        return {"order_id": order_id} if order_id else {}

    async def extract_pack_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        pack_id = order_from_metadata(tracker, "pack_id")
        return {"pack_id": pack_id} if pack_id else {}


def order_from_metadata(tracker: Tracker, key: str) -> str | None:
    """The metadata's order_id/pack_id if this conversation may use it (module docstring)."""
    meta = metadata(tracker)
    if meta.get(key) is None:
        return None
    value = ids.valid(meta[key])
    bound = _bound_before(tracker)
    marketplace = conversation_id.parse(tracker.sender_id)
    if value is None:
        refused = "not an id"
    elif marketplace is not None and tracker.get_latest_input_channel() != conversation_id.CHANNEL:
        refused = "marketplace conversation, message not from the marketplace channel"
    elif marketplace is not None and key == "pack_id" and value != marketplace[1]:
        refused = "not this conversation's pack"
    elif marketplace is not None and key == "order_id" and value not in _pack_orders(meta, marketplace[1]):
        refused = "not one of this pack's orders"
    elif marketplace is None and bound and value not in bound:
        refused = "the conversation is bound to another order"
    else:
        return value
    logger.warning("metadata %s of conversation %s ignored: %s", key, tracker.sender_id, refused)
    return None


def _bound_before(tracker: Tracker) -> set[str]:
    """The order and pack the conversation had before this message (the SDK updates
    `tracker.slots` as it extracts, so the events are the record of what was bound)."""
    latest: dict[str, Any] = {}
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") in ("order_id", "pack_id"):
            latest[event["name"]] = event.get("value")
        elif event.get("event") in ("restart", "session_started"):
            latest.clear()
    return {str(v) for v in latest.values() if v}


def _pack_orders(meta: dict[str, Any], pack: str) -> set[str]:
    """The pack's orders as the channel listed them; a pack-less order is its own conversation."""
    listed = meta.get("order_ids") if isinstance(meta.get("order_ids"), list) else []
    return {str(o) for o in listed} | {pack}


class ValidateOrderForm(FormValidationAction):
    def name(self) -> str:
        return "validate_order_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Nothing to ask when the channel already told us the order."""
        if tracker.get_slot("order_id") or tracker.get_slot("pack_id"):
            return []
        return domain_slots

    async def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        number = ids.valid(find_order_number(value))
        if not number:
            dispatcher.utter_message(response="utter_order_number_invalid")
            return {"order_number": None}
        if number in (tracker.get_slot("order_id"), tracker.get_slot("pack_id")):
            return {"order_number": number}
        try:
            ctx = await resolve_order_number(get_client(tracker.sender_id), number)
        except MeliNotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_number=number)
            return {"order_number": None}
        except MeliError:
            # The API is unwell: keep the number; the Help action will fail honestly and hand off.
            return {"order_number": number, "order_id": number, "pack_id": None}
        return {"order_number": number, "order_id": ctx.order_id, "pack_id": ctx.pack_id}
