"""What the inbox shows: a ticket in the queue, and the live conversation with the bot's reading.

The transcript is read from Rasa's tracker store (postsale.transcript builds the lines), so buyer
messages sent during the handoff show up at once; each buyer line carries the intent the bot
understood and whether an agent already sent it to the trainers' review queue.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from postsale import review_queue, transcript
from postsale.claim import urgency

logger = logging.getLogger(__name__)
SAME_MOMENT = 1e-3  # seconds: how close a posted `at` must be to the event's timestamp


def summary(ticket: dict[str, Any], now: float, take_within: float = 0,
            claim_window: float = 12 * 3600) -> dict[str, Any]:
    """A queue row: who, why, how long waiting, and the claim's deadline as the marketplace will
    judge it (`due_in_seconds` negative when past due; `urgency` from postsale.claim)."""
    waiting = now - ticket["created_ts"]
    claim = ticket.get("claim") or {}
    due, incentive = ticket.get("due_at"), ticket.get("incentive_until")
    return {
        "claim_stage": claim.get("stage"), "claim_status": claim.get("status"),
        "claim_event": (ticket.get("claim_event") or {}).get("kind"),
        "due_in_seconds": int(due - now) if due is not None else None,
        "incentive_seconds": int(incentive - now) if incentive is not None and incentive > now else None,
        "urgency": urgency(claim, now, claim_window) if claim else None,
        "updated_ts": ticket.get("updated_ts"), "created_ts": ticket["created_ts"],
        "order_id": (ticket.get("order") or {}).get("order_id"), "pack_id": (ticket.get("order") or {}).get("pack_id"),
        "flagged": bool(take_within) and ticket["status"] == "open" and waiting > take_within,
        "id": ticket["id"], "conversation_id": ticket["conversation_id"], "seller_id": ticket.get("seller_id"),
        "interaction_type": ticket["interaction_type"], "reason": ticket["reason"],
        "language": ticket.get("language"), "origin": ticket.get("origin"), "status": ticket["status"],
        "assignee": ticket.get("assignee"), "priority": ticket["priority"],
        "products": [p.get("title") for p in ticket.get("products") or []],
        "waiting_seconds": int(waiting),
    }


def user_event_at(events: Any, at: float) -> Any | None:
    """The buyer message the page showed with that timestamp (JSON may round the last digits)."""
    users = [e for e in events if getattr(e, "type_name", "") == "user"]
    closest = min(users, key=lambda e: abs(e.timestamp - at), default=None)
    return closest if closest is not None and abs(closest.timestamp - at) < SAME_MOMENT else None


def _review_marks(ticket_id: str) -> dict[float, dict[str, Any]]:
    """A broken review file must not take the conversation view down with it."""
    try:
        return review_queue.marks(ticket_id)
    except (OSError, ValueError) as problem:
        logger.warning("review queue unreadable: %s", problem)
        return {}


async def live_transcript(agent: Any, ticket: dict[str, Any]) -> list[dict[str, Any]]:
    tracker = await agent.processor.get_tracker(ticket["conversation_id"])
    marks = await asyncio.to_thread(_review_marks, ticket["id"])
    shown = []
    for line in transcript.lines(event.as_dict() for event in tracker.events):
        item: dict[str, Any] = {"from": line.speaker, "text": line.text, "at": line.timestamp, "agent": line.agent,
                                "attachments": list(line.attachments)}
        if line.speaker == "buyer":
            item["intent"] = line.intent
            mark = marks.get(round(line.timestamp, 6)) if line.timestamp is not None else None
            if mark:
                item["review"] = {"intent": mark["intent"], "status": mark["status"], "id": mark["id"]}
        shown.append(item)
    return shown
