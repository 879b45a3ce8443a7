"""The claim in the agent's hands: its live messages, the agent's answer in the claim, and files.

When a claim or a mediation blocks the chat, the buyer (or the mediator) still reads the claim's
messages: the agent writes there (`to`: complainant in stage claim, mediator in a dispute), with
the same outgoing-text guard as a chat reply (the caller checks it first). Files travel through
the inbox only: the page asks `/api/tickets/<id>/files/<file_id>` with the agent's token, the
server checks that the file belongs to the ticket (a buyer message or a claim message of it),
fetches it with the store's token, checks what the bytes are and streams it, never stored and
never a public URL.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import time
from typing import Any

from sanic import response
from sanic.response import HTTPResponse

from meli import MeliClient, MeliError
from meli.client import Download
from postsale import attachment, tickets
from postsale.claim import claim_messages

logger = logging.getLogger(__name__)
CLAIM_ROLES = ("complainant", "mediator")
RECEIVERS = ("buyer",) + CLAIM_ROLES
MESSAGES_FRESH_SECONDS = 10.0
_messages_cache: dict[str, tuple[float, list[dict[str, Any]]]] = {}


def decode_files(raw: Any) -> list[tuple[str, str, bytes]]:
    """`[{"name", "data": base64}]` from the page as (safe name, type, bytes); ValueError says
    which file is refused and why."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list) or len(raw) > attachment.MAX_FILES_PER_REPLY:
        raise ValueError(f"at most {attachment.MAX_FILES_PER_REPLY} files")
    found = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("data"), str):
            raise ValueError("each file is {name, data (base64)}")
        if len(item["data"]) > attachment.MAX_SEND_BYTES * 4 // 3 + 4:
            raise ValueError(f"{item['name'][:60]}: larger than {attachment.MAX_SEND_BYTES // (1024 * 1024)} MB")
        try:
            content = base64.b64decode(item["data"], validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"{item['name'][:60]}: not base64") from None
        try:
            kind = attachment.check_sendable(content)
        except ValueError as problem:
            raise ValueError(f"{item['name'][:60]}: {problem}") from None
        found.append((attachment.safe_name(item["name"], kind), kind, content))
    return found


def described(files: list[tuple[str, str, bytes]], ids: list[str]) -> list[dict[str, Any]]:
    return [{"id": file_id, "name": name, "type": kind, "size": len(content)}
            for (name, kind, content), file_id in zip(files, ids)]


async def live_messages(client: MeliClient | None, ticket: dict[str, Any]) -> None:
    """Put the claim's current messages in the ticket view (a few seconds' cache: the page polls);
    the stored ones stay when the API cannot be read."""
    claim = ticket.get("claim") or {}
    claim_id = claim.get("id")
    if client is None or claim_id is None:
        return
    key = f"{ticket.get('seller_id')}:{claim_id}"
    cached = _messages_cache.get(key)
    if cached is None or time.monotonic() - cached[0] > MESSAGES_FRESH_SECONDS:
        try:
            body = await client.get_claim_part(claim_id, "messages")
        except MeliError as err:
            logger.info("claim %s messages unavailable: %s", claim_id, err)
            return
        cached = _messages_cache[key] = (time.monotonic(), claim_messages(body, keep=None) or [])
        if len(_messages_cache) > 2000:
            _messages_cache.pop(next(iter(_messages_cache)))
    claim["messages"] = cached[1]


async def send_in_claim(client: MeliClient | None, ticket: dict[str, Any], role: str, text: str,
                        files: list[tuple[str, str, bytes]]) -> tuple[int, dict[str, Any]]:
    """Write in the ticket's claim: (HTTP status for the page, body with the result)."""
    claim = ticket.get("claim") or {}
    claim_id = claim.get("id")
    if claim_id is None:
        return 409, {"error": "no_claim", "detail": "this ticket has no claim to write in"}
    if claim.get("status") == "closed":
        return 409, {"error": "claim_closed", "detail": "the claim is closed"}
    if client is None:
        return 409, {"error": "store_not_connected", "detail": "the ticket's store is not connected"}
    try:
        uploaded = [(await client.upload_claim_attachment(claim_id, name, content, kind)).get("filename")
                    for name, kind, content in files]
        await client.send_claim_message(claim_id, role, text, [u for u in uploaded if u])
    except MeliError as err:
        logger.warning("claim message on claim %s not sent: %s", claim_id, err)
        return 502, {"error": "not_delivered", "to": role, "status": err.status, "detail": err.message}
    _messages_cache.pop(f"{ticket.get('seller_id')}:{claim_id}", None)
    await live_messages(client, ticket)
    await asyncio.to_thread(tickets.set_claim, ticket["id"], claim)
    return 200, {"status": "sent", "to": role, "claim_id": claim_id, "files": len(files)}


async def upload_for_chat(client: MeliClient, site_id: str, files: list[tuple[str, str, bytes]]) -> list[str]:
    """Upload just before sending: the API deletes a file not linked to a message within 48 h."""
    return [str((await client.upload_attachment(site_id, name, content, kind)).get("id"))
            for name, kind, content in files]


def files_of(ticket: dict[str, Any], lines: list[dict[str, Any]]) -> dict[str, str]:
    """Every file the ticket shows, with where it lives: `message` (chat) or `claim`."""
    found = {str(a["id"]): "message" for line in lines for a in line.get("attachments") or []}
    for message in (ticket.get("claim") or {}).get("messages") or []:
        for item in message.get("attachments") or []:
            if item.get("id"):
                found.setdefault(str(item["id"]), "claim")
    return found


async def file_response(client: MeliClient | None, ticket: dict[str, Any], file_id: str,
                        where: str, site: str) -> HTTPResponse:
    if client is None:
        return response.json({"error": "store_not_connected"}, 409)
    try:
        if where == "claim":
            found: Download = await client.download_claim_attachment((ticket.get("claim") or {}).get("id"), file_id)
        else:
            found = await client.download_attachment(site, file_id)
    except MeliError as err:
        return response.json({"error": "file_unavailable", "status": err.status, "detail": err.message}, 502)
    kind = attachment.sniff(found.content)
    if kind not in attachment.SHOWABLE or len(found.content) > attachment.MAX_SHOW_BYTES:
        logger.warning("file %s of ticket %s refused: not a JPG/PNG/PDF/TXT", file_id, ticket["id"])
        return response.json({"error": "file_refused", "detail": "only JPG, PNG, PDF or text files are shown"}, 415)
    disposition = "inline" if kind in attachment.IMAGES else "attachment"
    name = attachment.safe_name(file_id, kind)
    return response.raw(found.content, content_type=kind, headers={
        "Content-Disposition": f'{disposition}; filename="{name}"',
        "Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})
