"""Record the tracker fixtures of tests/data/trackers/ from real conversations on the stack.

    .venv/bin/python -m testkit.capture_trackers

Starts the stack (as the live tests do), holds two conversations, and saves each tracker as the
action server received it when `action_handoff` ran: Rasa's `GET /conversations/<id>/tracker`,
cut right after the buyer message that led to the handoff, with the slots of that moment. Unit
tests replay them against the in-process simulator, so an action is tested on what Rasa really
sends, without the stack.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from postsale.conversation_id import conversation_id
from simulator import SCENARIOS
from testkit.stack import Stack
from testkit.trackers import TRACKERS

SELLER = 123456789


def as_received(state: dict[str, Any], action: str = "action_handoff") -> dict[str, Any]:
    """The tracker when `action` was predicted: events up to it, slots and latest message then."""
    events = state["events"]
    cut = max(i for i, e in enumerate(events) if e["event"] == "action" and e.get("name") == action)
    events = events[:cut]
    slots: dict[str, Any] = {name: None for name in state["slots"]}
    latest: dict[str, Any] = {}
    for event in events:
        if event["event"] == "slot":
            slots[event["name"]] = event["value"]
        elif event["event"] == "user":
            latest = {**(event.get("parse_data") or {}), "text": event.get("text"),
                      "metadata": event.get("metadata") or {}}
    return {"sender_id": state["sender_id"], "slots": slots, "latest_message": latest, "events": events,
            "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
            "latest_input_channel": next((e.get("input_channel") for e in reversed(events) if e["event"] == "user"),
                                         None)}


def tracker(stack: Stack, conversation: str) -> dict[str, Any]:
    return httpx.get(f"{stack.rasa}/conversations/{conversation}/tracker", timeout=30).json()


def rest_order_form_then_person(stack: Stack) -> dict[str, Any]:
    """REST: a delivery question, the order number typed, the answer, then a person asked for."""
    sender = "capture-rest"
    stack.say(sender, "qual o prazo de entrega?")
    stack.say(sender, str(SCENARIOS["shipped"].order_id))
    stack.say(sender, "quero falar com um atendente")
    return as_received(tracker(stack, sender))


def marketplace_blocked_after_answer(stack: Stack) -> dict[str, Any]:
    """Mercado Libre: a question answered, then the thread blocked, then the buyer writes again."""
    pack = SCENARIOS["delivered"].pack_id or SCENARIOS["delivered"].order_id
    stack.buyer_writes(pack, "oi, ja chegou? qual o status do pedido?")
    stack.wait_for_seller_messages(pack, 1)
    stack.sim_post(f"/_sim/conversations/{pack}/status", {"status": "blocked", "substatus": "blocked_by_time"})
    stack.buyer_writes(pack, "alo?? alguem ai")
    conversation = conversation_id(SELLER, pack)
    stack.wait_for_ticket(conversation)
    return as_received(tracker(stack, conversation))


def main() -> None:
    TRACKERS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Stack(Path(tmp)) as stack:
        for name, capture in (("rest_order_form_then_person", rest_order_form_then_person),
                              ("marketplace_blocked_after_answer", marketplace_blocked_after_answer)):
            state = capture(stack)
            (TRACKERS / f"{name}.json").write_text(json.dumps(state, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
            print(f"saved {TRACKERS / name}.json ({len(state['events'])} events)")
            time.sleep(0.5)


if __name__ == "__main__":
    main()
