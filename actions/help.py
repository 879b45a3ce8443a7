"""Answers every Help question once the conversation's order is known.

One action serves every Help topic (the `help_topic` slot says which) so the dialogue has a
single "order known → answer" step. Which function answers which topic is written in
postsale.catalogue; the functions live in actions/answers/. A topic whose answer cannot be
found stops the action server at start, never a buyer's conversation.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers.answer import Answer, HandoffRequest
from actions.api import get_client
from actions.handoff import hand_off
from actions.order import load_order_context
from meli import MeliClient, MeliError
from postsale import catalogue, stores
from postsale.catalogue import BACKEND_ERROR, HELP, HELP_TO_AGENTS
from postsale.order import OrderContext

logger = logging.getLogger(__name__)

Handler = Callable[[MeliClient, OrderContext, str], Awaitable[Answer]]
# Replies that already tell the buyer a person will continue.
ANNOUNCES_HANDOFF = {"utter_handoff_backend_error", "utter_invoice_missing", "utter_handoff_case_open"}


def _load_handlers() -> dict[str, Handler]:
    handlers: dict[str, Handler] = {}
    for topic in catalogue.HELP_TOPICS:
        module_name, _, function = topic.answer.partition(".")
        try:
            handler = getattr(importlib.import_module(f"actions.answers.{module_name}"), function)
        except (ImportError, AttributeError) as problem:
            raise RuntimeError(f"Help topic {topic.intent}: no answer function actions/answers/{module_name}.py "
                               f"{function}() as postsale/catalogue.py says ({problem})") from None
        handlers[topic.intent] = handler
    return handlers


HANDLERS = _load_handlers()


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
        answer.handoff = HandoffRequest(BACKEND_ERROR, HELP, error=err.as_dict())
        return answer


class ActionAnswerHelp(Action):
    def name(self) -> str:
        return "action_answer_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        topic = tracker.get_slot("help_topic")
        topic = topic if topic in HANDLERS else catalogue.DEFAULT_HELP_TOPIC
        lang = tracker.get_slot("language") or "pt"
        client = get_client(tracker.sender_id)
        if stores.handoff_for_conversation(tracker.sender_id).help_route == "agents":
            dispatcher.utter_message(response="utter_handoff_human")
            return await hand_off(tracker, HandoffRequest(HELP_TO_AGENTS, HELP), client, dispatcher)
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
