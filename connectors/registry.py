"""Channels running in this Rasa server, so the inbox can reply through the marketplace's
output path (one API client, one token store) instead of opening its own."""

from __future__ import annotations

from typing import Any

CHANNELS: dict[str, Any] = {}


def register(name: str, channel: Any) -> None:
    CHANNELS[name] = channel


def get(name: str) -> Any | None:
    return CHANNELS.get(name)
