"""The conversation id of a marketplace chat: `meli-<seller>-<pack>`, built and read only here.

One conversation per pack and seller, stable across restarts and replicas; the tracker, the
tickets and the inbox all key on it, and the inbox reads the seller and pack back from it to
reply in the right thread.
"""

from __future__ import annotations

import re

PREFIX = "meli"
CHANNEL = "mercadolibre"  # the marketplace channel's name: its URL, its input_channel, its ticket origin
_SHAPE = re.compile(rf"{PREFIX}-([0-9]{{1,20}})-([0-9]{{1,32}})")


def conversation_id(seller_id: int | str, pack_id: int | str) -> str:
    return f"{PREFIX}-{int(seller_id)}-{pack_id}"


def parse(conversation: str) -> tuple[int, str] | None:
    """(seller id, pack id) of a marketplace conversation; None for any other sender id."""
    match = _SHAPE.fullmatch(conversation or "")
    return (int(match.group(1)), match.group(2)) if match else None


def is_reserved(sender: str) -> bool:
    """A sender id only the marketplace channel may use (any `meli-` id, well-formed or not)."""
    return str(sender or "").lower().startswith(f"{PREFIX}-")
