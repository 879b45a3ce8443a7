"""Slots filled from the channel and the catalogue: language, the order, the Help topic.

The Mercado Libre channel puts the pack/order and the site in the message metadata, so the
buyer is never asked for what the marketplace already told us. On REST or shell the order
form asks for the number and checks it against the API before any answer uses it. The Help
topic is the intent of the latest Help question, as postsale.catalogue lists them.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction, ValidationAction
from rasa_sdk.types import DomainDict

from actions.api import get_client
from actions.order import resolve_order_number
from meli import MeliError, MeliNotFound
from postsale import catalogue
from postsale.language import resolve_language

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
        order_id = metadata(tracker).get("order_id")
        return {"order_id": str(order_id)} if order_id else {}

    async def extract_pack_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        pack_id = metadata(tracker).get("pack_id")
        return {"pack_id": str(pack_id)} if pack_id else {}


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
        number = find_order_number(value)
        if not number:
            dispatcher.utter_message(response="utter_order_number_invalid")
            return {"order_number": None}
        if number in (tracker.get_slot("order_id"), tracker.get_slot("pack_id")):
            return {"order_number": number}
        try:
            ctx = await resolve_order_number(get_client(), number)
        except MeliNotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_number=number)
            return {"order_number": None}
        except MeliError:
            # The API is unwell: keep the number; the Help action will fail honestly and hand off.
            return {"order_number": number, "order_id": number, "pack_id": None}
        return {"order_number": number, "order_id": ctx.order_id, "pack_id": ctx.pack_id}
