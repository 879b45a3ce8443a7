"""Post-sale messaging (reference §2.2-§2.4): list a pack's thread, get one message, reply.

Every call needs `tag=post_sale`; errors use the messaging shape `{status_code, code, message}`.
A moderated reply is still a 200 with `status: "moderated"`, as in production.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from aiohttp import web

from simulator.build.conversations import (
    Conversation,
    clean_moderation,
    legacy_message_json,
    message_json,
    rejected_moderation,
)
from simulator.constants import (
    APP_ID,
    BUYER_MAX_MESSAGE_LENGTH,
    SELLER_MAX_MESSAGE_LENGTH,
)
from simulator.errors import messaging_error
from simulator.middleware import SELLER
from simulator.routes.messaging_rules import check_reply
from simulator.routes.moderation import moderation_reason
from simulator.routes.params import int_param
from simulator.sites import utc_now, utc_z
from simulator.state import SimState, get_state
from simulator.uploads import UploadError, read_upload
from simulator.world import World

ATTACHMENT_TTL = timedelta(hours=48)  # an upload not linked to a message by then is deleted
MESSAGE_FILE_TYPES = ("image/jpeg", "image/png", "application/pdf", "text/plain")

TAG_REQUIRED = "The query param 'tag' is required and must be 'post_sale'"


def _tag_error(request: web.Request) -> web.Response | None:
    return None if request.query.get("tag") == "post_sale" else messaging_error(400, TAG_REQUIRED)


def _conversation(request: web.Request) -> Conversation | web.Response:
    """The thread addressed by the path, or the messaging error to answer with."""
    tag_error = _tag_error(request)
    if tag_error is not None:
        return tag_error
    pack_id = int_param(request, "pack_id")
    conv = get_state(request).world.conversations.get(pack_id) if pack_id is not None else None
    if conv is None:
        return messaging_error(404, f"Pack {request.match_info['pack_id']} not found")
    if int_param(request, "seller_id") != conv.seller_id or request.get(SELLER) != conv.seller_id:
        return messaging_error(403, f"Access denied for user {request.match_info['seller_id']} to order {pack_id}")
    return conv


def _paging(request: web.Request) -> tuple[int, int] | None:
    limit, offset = request.query.get("limit", "10"), request.query.get("offset", "0")
    if not (limit.isdigit() and offset.isdigit()) or int(limit) == 0:
        return None
    return int(limit), int(offset)


def _visible(conv: Conversation) -> list[dict[str, Any]]:
    """Newest first; the buyer's moderated messages are hidden, the seller's are not."""
    return [m for m in reversed(conv.messages)
            if m["from"]["user_id"] == conv.seller_id or m["status"] != "moderated"]


def _mark_read(conv: Conversation) -> None:
    stamp = utc_z(utc_now())
    for msg in conv.messages:
        if msg["to"]["user_id"] == conv.seller_id and msg["message_date"]["read"] is None:
            msg["message_date"]["read"] = stamp


async def list_messages(request: web.Request) -> web.Response:
    conv = _conversation(request)
    if isinstance(conv, web.Response):
        return conv
    paging = _paging(request)
    if paging is None:
        return messaging_error(400, "Invalid paging params: limit and offset must be positive integers")
    limit, offset = paging
    visible = _visible(conv)
    response = web.json_response({
        "paging": {"limit": limit, "offset": offset, "total": len(visible)},
        "conversation_status": conv.status, "messages": visible[offset:offset + limit],
        "seller_max_message_length": SELLER_MAX_MESSAGE_LENGTH, "buyer_max_message_length": BUYER_MAX_MESSAGE_LENGTH,
    })
    if request.query.get("mark_as_read", "true").lower() != "false":
        _mark_read(conv)
    return response


async def get_message(request: web.Request) -> web.Response:
    error = _tag_error(request)
    if error is not None:
        return error
    found = get_state(request).world.find_message(request.match_info["message_id"])
    if found is None:
        return messaging_error(404, f"Message {request.match_info['message_id']} not found")
    conv, msg = found
    if request.get(SELLER) != conv.seller_id:
        return messaging_error(403, f"Access denied for user {request.get(SELLER)} to message {msg['id']}")
    if request.headers.get("x-format-new", "").lower() == "true":
        return web.json_response({"paging": None, "conversation_status": None, "messages": [msg]})
    return web.json_response(legacy_message_json(conv, msg))


async def _json_body(request: web.Request) -> Any:
    if not request.body_exists:  # not can_read_body: a slow-down fault may have read (and cached) it
        return None
    try:
        return await request.json()
    except ValueError:
        return None


def _moderation(state: SimState, text: str) -> dict[str, Any]:
    reason = state.forced_moderation.pop(0) if state.forced_moderation else moderation_reason(text)
    now = utc_now()
    return rejected_moderation(reason, now) if reason else clean_moderation(now)


def _receiver_name(conv: Conversation, receiver: int) -> str:
    if receiver == conv.buyer_id:
        return conv.buyer_nickname
    return "Mercado Livre" if conv.site_id == "MLB" else "Mercado Libre"


def _usable(world: World, seller: int) -> Callable[[Any], bool]:
    def usable(file_id: Any) -> bool:
        stored = world.attachments.get(file_id) if isinstance(file_id, str) else None
        return stored is not None and stored[0] == seller and utc_now() - stored[4] < ATTACHMENT_TTL
    return usable


def attachment_json(world: World, file_id: str) -> dict[str, Any]:
    """The message's attachment item (reference 2.2)."""
    _, name, kind, content, when = world.attachments[file_id]
    return {"filename": file_id, "original_filename": name, "type": kind, "size": len(content),
            "potential_security_threat": False, "creation_date": utc_z(when)}


async def post_message(request: web.Request) -> web.Response:
    conv = _conversation(request)
    if isinstance(conv, web.Response):
        return conv
    body = await _json_body(request)
    world = get_state(request).world
    problem = check_reply(body, conv, _usable(world, conv.seller_id))
    if problem is not None:
        return messaging_error(*problem)
    receiver = int(str(body["to"]["user_id"]))
    msg = message_json(conv, message_id=uuid.uuid4().hex, sender=conv.seller_id, receiver=receiver, text=body["text"],
                       when=utc_now(), client_id=APP_ID, moderation=_moderation(get_state(request), body["text"]))
    if body.get("attachments"):
        msg["message_attachments"] = [attachment_json(world, f) for f in body["attachments"]]
    conv.messages.append(msg)
    return web.json_response({**msg, "to": {"user_id": receiver, "name": _receiver_name(conv, receiver)}})


async def upload_attachment(request: web.Request) -> web.Response:
    """`POST /messages/attachments?tag=post_sale&site_id=`, form-data `file` (reference 2.5)."""
    error = _tag_error(request)
    if error is not None:
        return error
    try:
        name, kind, content = await read_upload(request, limit=25 * 1024 * 1024, kinds=MESSAGE_FILE_TYPES,
                                                name_pattern=r"[^/\\]{1,200}")
    except UploadError as exc:
        return messaging_error(400, str(exc))
    seller = request.get(SELLER)
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(kind, "txt")
    file_id = f"{seller}_{uuid.uuid4()}.{extension}"
    get_state(request).world.attachments[file_id] = (seller, name, kind, content, utc_now())
    return web.json_response({"id": file_id})


async def download_attachment(request: web.Request) -> web.Response:
    """The file, to its uploader or to the seller of a thread it was sent in."""
    error = _tag_error(request)
    if error is not None:
        return error
    world = get_state(request).world
    file_id = request.match_info["attachment_id"]
    stored = world.attachments.get(file_id)
    caller = request.get(SELLER)
    if stored is None:
        return messaging_error(404, f"Attachment {file_id} not found")
    in_thread = any(conv.seller_id == caller and any(
        a.get("filename") == file_id for m in conv.messages for a in m.get("message_attachments") or [])
        for conv in world.conversations.values())
    if stored[0] != caller and not in_thread:
        return messaging_error(403, f"Access denied for user {caller} to attachment {file_id}")
    return web.Response(body=stored[3], content_type=stored[2])


def add_routes(app: web.Application) -> None:
    app.router.add_post("/messages/attachments", upload_attachment)
    app.router.add_get("/messages/attachments/{attachment_id}", download_attachment)
    app.router.add_get("/messages/packs/{pack_id}/sellers/{seller_id}", list_messages)
    app.router.add_post("/messages/packs/{pack_id}/sellers/{seller_id}", post_message)
    app.router.add_get("/messages/{message_id}", get_message)
