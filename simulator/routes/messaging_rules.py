"""Validation of a seller reply, in the order and wording of the messaging API (reference §2.4).

Returns `(status, message)` for the first rule broken, or None when the reply can be stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.build.conversations import Conversation
from simulator.constants import SELLER_MAX_MESSAGE_LENGTH
from simulator.routes.moderation import has_unsupported_chars
from simulator.sites import SITES

Problem = tuple[int, str]
TOO_LONG = f"The message content is too long, max characters allowed are {SELLER_MAX_MESSAGE_LENGTH}"


def _user_id(block: Any) -> int | None:
    """`{"user_id": "415458330"}` → 415458330; strings and numbers are both accepted."""
    if not isinstance(block, dict):
        return None
    raw = block.get("user_id")
    if isinstance(raw, bool) or raw is None:
        return None
    text = str(raw)
    return int(text) if text.isdigit() else -1


def _addressing(body: dict[str, Any], conv: Conversation) -> Problem | None:
    if "from" not in body:
        return 400, "The field 'from' is required"
    sender, receiver = _user_id(body.get("from")), _user_id(body.get("to"))
    if receiver is None:
        return 400, "The field 'to.user_id' is required"
    if receiver == -1:
        return 400, "Invalid 'to' user id"
    if sender == receiver:
        return 400, "Sender and received must not be equals"
    if sender != conv.seller_id:
        return 403, f"Access denied for user {sender} to order {conv.conversation_id}"
    if receiver not in (conv.buyer_id, SITES[conv.site_id].agent_user_id):
        return 403, f"Receiver does not belong to order {conv.conversation_id}"
    return None


MAX_ATTACHMENTS = 25


def _conversation(conv: Conversation) -> Problem | None:
    if conv.blocked:
        return 403, "blocked_conversation_send_message_forbidden"
    if not any(m["from"]["user_id"] != conv.seller_id for m in conv.messages):
        return 403, "blocked_by_conversation_started_by_seller"
    return None


def _content(body: dict[str, Any]) -> Problem | None:
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return 400, "The field 'text' is required"
    if len(text) > SELLER_MAX_MESSAGE_LENGTH:
        return 400, TOO_LONG
    if has_unsupported_chars(text):
        return 400, "The text has character/s that is/are not supported."
    return None


def _attachments(body: dict[str, Any], usable: Callable[[Any], bool]) -> Problem | None:
    """Each id must be a file this seller uploaded less than 48 h ago (older ones are deleted)."""
    files = body.get("attachments")
    if files is None:
        return None
    if not isinstance(files, list) or not files or len(files) > MAX_ATTACHMENTS or not all(map(usable, files)):
        return 422, "Attachment key is invalid or not found"
    return None


def check_reply(body: Any, conv: Conversation, usable: Callable[[Any], bool] = lambda _: False) -> Problem | None:
    """The first problem with a POSTed reply, or None. `usable` says whether an attachment id may
    be linked by this seller."""
    if not isinstance(body, dict):
        return 400, "A JSON body is required"
    return _addressing(body, conv) or _conversation(conv) or _content(body) or _attachments(body, usable)
