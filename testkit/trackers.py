"""Trackers for testing actions without the stack: built from a few values, or saved ones.

`make_tracker` gives the state right after one buyer message; `saved_tracker` loads a tracker
captured from a real conversation of the stack (tests/data/trackers/*.json, Rasa's
`GET /conversations/<id>/tracker` format), so an action sees exactly what Rasa sends it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker

TRACKERS = Path(__file__).resolve().parents[1] / "tests" / "data" / "trackers"


def make_tracker(
    text: str = "",
    intent: str = "order_status",
    slots: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    history: list[dict[str, Any]] | None = None,
    channel: str = "rest",
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [],
        "metadata": metadata or {},
    }
    events = list(history or []) + [
        {"event": "user", "text": text, "parse_data": latest, "input_channel": channel,
         "timestamp": 1_700_000_000.0}
    ]
    all_slots = {"language": "pt", "order_id": None, "pack_id": None, "order_number": None,
                 "help_topic": None, "requested_slot": None, "handoff_ticket": None}
    all_slots.update(slots or {})
    return Tracker("buyer-1", all_slots, latest, events, False, None, {}, "action_listen")


def saved_tracker(name: str) -> Tracker:
    """A tracker saved as JSON (as Rasa's HTTP API returns it) under tests/data/trackers/."""
    return Tracker.from_dict(json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8")))
