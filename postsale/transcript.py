"""The conversation as people read it, from the tracker's events: built here and only here.

The handoff ticket carries it and the inbox shows it live. The marketplace channel sends its
own triggers as `/system_...` messages with the buyer's real words in `metadata.buyer_text`,
so a line shows what the buyer typed, never the trigger. A buyer who types a slash command
is shown exactly as typed: only an event the model read as a channel intent is a trigger.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from postsale.catalogue import CHANNEL_INTENTS


@dataclass(frozen=True)
class Line:
    speaker: str  # buyer | bot | agent
    text: str
    timestamp: float | None
    agent: str | None = None  # who replied, for agent lines
    intent: str | None = None  # what the bot understood, for buyer lines
    # Files sent with the message ({id, name, type, size}: the marketplace's attachment ids).
    attachments: tuple[dict[str, Any], ...] = ()


def lines(events: Iterable[Mapping[str, Any]]) -> list[Line]:
    """Buyer, bot and agent lines of tracker events (as dicts), in order; empty lines left out."""
    found = []
    for event in events:
        kind = event.get("event")
        metadata = event.get("metadata") or {}
        if kind == "user":
            text = event.get("text") or ""
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if is_channel_trigger(event):
                text = buyer_text(event) or ""
            files = attachments_of(metadata) or attachments_of((event.get("parse_data") or {}).get("metadata") or {})
            line = Line("buyer", text, _timestamp(event), intent=intent, attachments=files)
        elif kind == "bot":
            agent = metadata.get("agent")
            line = Line("agent" if agent else "bot", event.get("text") or "", _timestamp(event), agent=agent,
                        attachments=attachments_of(metadata))
        else:
            continue
        if line.text or line.attachments:
            found.append(line)
    return found


def attachments_of(metadata: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """The files a message's metadata lists, each reduced to id, name, type and size."""
    found = metadata.get("attachments") if isinstance(metadata, Mapping) else None
    if not isinstance(found, list):
        return ()
    return tuple({"id": str(a["id"]), "name": str(a.get("name") or a["id"])[:200], "type": a.get("type"),
                  "size": a.get("size")} for a in found if isinstance(a, dict) and a.get("id"))


def is_channel_trigger(event: Mapping[str, Any]) -> bool:
    """Sent by the channel (`/system_...`, read as that intent), not typed by the buyer."""
    intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return intent in CHANNEL_INTENTS and str(event.get("text") or "").startswith(f"/{intent}")


def buyer_text(event: Mapping[str, Any]) -> str | None:
    """What the buyer typed behind a channel trigger."""
    parse_data = event.get("parse_data") or {}
    return (event.get("metadata") or {}).get("buyer_text") or (parse_data.get("metadata") or {}).get("buyer_text")


def for_ticket(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The transcript a handoff ticket carries: who, what, and when in ISO-8601 UTC."""
    return [{"from": line.speaker, "text": line.text, "at": _iso(line.timestamp)} for line in lines(events)]


def _timestamp(event: Mapping[str, Any]) -> float | None:
    value = event.get("timestamp")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _iso(timestamp: float | None) -> str | None:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat() if timestamp is not None else None
