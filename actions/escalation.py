"""Complaints, requests for a person and repeated misunderstandings go to a human."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api import get_client
from actions.handoff import hand_off
from postsale.catalogue import COMPLAINT, HELP, WITHHELD_REPLY_REASONS
from postsale.handoff import HandoffRequest, request_for_intent


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        request = request_for_intent(intent, tracker.latest_message)
        complaint = request.interaction_type == COMPLAINT
        if request.reason in WITHHELD_REPLY_REASONS:
            response = "utter_handoff_checking"  # stands in for the reply the buyer did not get
        else:
            response = "utter_handoff_complaint" if complaint else "utter_handoff_human"
        dispatcher.utter_message(response=response)
        return await hand_off(tracker, request, get_client(tracker.sender_id), dispatcher)


class ActionFallback(Action):
    """First low-confidence message: ask to rephrase. Second in a row: a person takes over."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        user_turns = [e for e in tracker.events if e.get("event") == "user"]
        previous = user_turns[-2] if len(user_turns) >= 2 else None
        previous_intent = ((previous or {}).get("parse_data") or {}).get("intent") or {}
        if previous_intent.get("name") != "nlu_fallback":
            dispatcher.utter_message(response="utter_default")
            return []
        dispatcher.utter_message(response="utter_handoff_low_confidence")
        return await hand_off(tracker, HandoffRequest("low_confidence", HELP), get_client(tracker.sender_id),
                              dispatcher)
