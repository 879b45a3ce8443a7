"""Delivering a handoff ticket to the destinations the operator configured.

The built-in inbox (SQL, postsale.tickets), a JSON-lines file (created 0600) and an HTTP webhook
signed with HMAC-SHA256 over `timestamp.body` (postsale/signature.py: a receiver rejects replays
older than five minutes); each is tried even when another fails, and a ticket no destination
took is logged as an error rather than lost silently. The ticket's transcript is already masked
(postsale/handoff.py): no copy carries an e-mail, phone or document the buyer typed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import httpx

from postsale import signature, tickets
from postsale.files import append_private, exclusive
from postsale.settings import Handoff

logger = logging.getLogger(__name__)
_file_lock = asyncio.Lock()


async def deliver(ticket: dict[str, Any], destinations: Handoff) -> list[str]:
    """Send the ticket to every configured destination; returns the ones that took it."""
    delivered = []
    if destinations.inbox:
        try:
            await asyncio.to_thread(tickets.save, ticket)
            delivered.append("inbox")
        except Exception as exc:  # noqa: BLE001 - the other destinations must still be tried
            logger.error("handoff ticket %s not stored for the inbox: %s", ticket["id"], exc)
    if destinations.jsonl_path:
        path = Path(destinations.jsonl_path)
        try:
            async with _file_lock:
                await asyncio.to_thread(_append, path, json.dumps(ticket, ensure_ascii=False) + "\n")
            delivered.append("jsonl")
        except OSError as exc:
            logger.error("handoff ticket %s not written to %s: %s", ticket["id"], path, exc)
    if destinations.webhook_url:
        body = json.dumps(ticket, ensure_ascii=False).encode()
        headers = {"content-type": "application/json"}
        if destinations.webhook_secret:
            headers.update(signature.headers(destinations.webhook_secret, body))
        try:
            async with httpx.AsyncClient(timeout=5) as http:
                response = await http.post(destinations.webhook_url, content=body, headers=headers)
                response.raise_for_status()
            delivered.append("webhook")
        except httpx.HTTPError as exc:
            logger.error("handoff ticket %s not accepted by webhook: %s", ticket["id"], exc)
    if not delivered:
        logger.error("handoff ticket %s reached no destination", ticket["id"])
    return delivered


def _append(path: Path, line: str) -> None:
    with exclusive(path), append_private(path) as handle:
        handle.write(line)
