"""Answers every Help question once the conversation's order is known.

One action serves the six Help topics (the `help_topic` slot says which) so the dialogue has a
single "order known → answer" step; each topic's logic lives in its own module.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer import HELP, Answer, HandoffRequest
from actions.api import get_client
from actions.claim import answer_return_or_exchange
from actions.handoff import hand_off
from actions.invoice import answer_invoice
from actions.order import OrderContext, load_order_context
from actions.order_status import answer_order_status
from actions.payment import answer_payment
from actions.shipment import answer_delivery_time, answer_shipping
from meli import MeliClient, MeliError

logger = logging.getLogger(__name__)

Handler = Callable[[MeliClient, OrderContext, str], Awaitable[Answer]]
HANDLERS: dict[str, Handler] = {
    "order_status": answer_order_status,
    "delivery_time": answer_delivery_time,
    "invoice_request": answer_invoice,
    "return_or_exchange": answer_return_or_exchange,
    "payment_question": answer_payment,
    "shipping_question": answer_shipping,
}
# Replies that already tell the buyer a person will continue.
ANNOUNCES_HANDOFF = {"utter_handoff_backend_error", "utter_invoice_missing", "utter_handoff_case_open"}


async def answer_topic(
    client: MeliClient, topic: str, order_id: Any, pack_id: Any, lang: str
) -> Answer:
    """Run one topic; any API failure becomes an honest reply plus a backend_error handoff."""
    try:
        ctx = await load_order_context(client, order_id=order_id, pack_id=pack_id)
        return await HANDLERS[topic](client, ctx, lang)
    except MeliError as err:
        logger.warning("help topic %s failed: %s", topic, err)
        answer = Answer().say("utter_handoff_backend_error")
        answer.handoff = HandoffRequest("backend_error", HELP, error=err.as_dict())
        return answer


class ActionAnswerHelp(Action):
    def name(self) -> str:
        return "action_answer_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        topic = tracker.get_slot("help_topic") or "order_status"
        lang = tracker.get_slot("language") or "pt"
        client = get_client()
        answer = await answer_topic(
            client, topic, tracker.get_slot("order_id"), tracker.get_slot("pack_id"), lang
        )
        for reply in answer.replies:
            dispatcher.utter_message(response=reply.response, **reply.values)
        if not answer.handoff:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        if not ANNOUNCES_HANDOFF & set(answer.responses):
            complaint = answer.handoff.interaction_type != HELP
            dispatcher.utter_message(
                response="utter_handoff_complaint" if complaint else "utter_handoff_human"
            )
        return await hand_off(tracker, answer.handoff, client, dispatcher)
