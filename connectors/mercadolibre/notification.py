"""Validate Mercado Libre notifications before anything is stored.

The payload is untrusted (no signature exists): it is checked for shape, for our application
and seller ids, and only then reduced to the few fields we keep. Its resource is re-fetched
with our own token later, never believed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

HANDLED_TOPICS = ("messages", "post_purchase")
MAX_BODY_BYTES = 64 * 1024
# Matched with fullmatch (a `$` would let a trailing newline through) and ASCII digits only
# (`\d` also takes Arabic-Indic and other Unicode digits).
_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_CLAIM_RESOURCE = re.compile(r"(?:/post-purchase)?/v1/claims/([0-9]{1,20})")
# Topic names as Mercado Libre spells them (`orders_v2`, `orders feedback`, `post_purchase`...).
_TOPIC = re.compile(r"[a-z0-9_ -]{1,40}")


class InvalidNotification(ValueError):
    """Becomes a 4xx with a JSON reason."""

    def __init__(self, status: int, reason: str, detail: str = "") -> None:
        super().__init__(f"{status} {reason}: {detail}")
        self.status = status
        self.reason = reason
        self.detail = detail

    def body(self) -> dict[str, Any]:
        return {"error": self.reason, "detail": self.detail}


@dataclass(frozen=True)
class Notification:
    topic: str
    resource: str
    user_id: int
    application_id: int
    notification_id: str | None
    attempts: int
    sent: str | None

    @property
    def handled(self) -> bool:
        return self.topic in HANDLED_TOPICS

    @property
    def dedup_key(self) -> str:
        """A message id is unique; a claim changes many times, so each notification counts."""
        if self.topic == "messages":
            return self.resource
        return f"{self.resource}#{self.notification_id or self.sent or ''}"

    @property
    def claim_id(self) -> str | None:
        match = _CLAIM_RESOURCE.fullmatch(self.resource)
        return match.group(1) if match else None

    def as_json(self) -> str:
        return json.dumps(
            {"topic": self.topic, "resource": self.resource, "user_id": self.user_id,
             "application_id": self.application_id, "_id": self.notification_id,
             "attempts": self.attempts, "sent": self.sent}
        )


def _as_int(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise InvalidNotification(400, "invalid_field", f"{field} must be a number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 20:
        return int(value.strip())
    raise InvalidNotification(400, "invalid_field", f"{field} must be a number")


def _json_media_type(content_type: str | None) -> bool:
    """Mercado Libre posts `application/json`; an absent header is tolerated, a declared form,
    text or XML body is not a notification."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media in ("", "application/json", "text/json") or media.endswith("+json")


def parse(raw: bytes, app_id: int, content_type: str | None = None) -> Notification:
    """Raise InvalidNotification (400 shape, 403 another application, 413 size, 415 media type) or
    return the notification. Whether its seller is a store of this deployment is the channel's
    question (one app, many sellers: an unknown seller gets 200 and is dropped there)."""
    if not _json_media_type(content_type):
        raise InvalidNotification(415, "unsupported_media_type", "send application/json")
    if len(raw) > MAX_BODY_BYTES:
        raise InvalidNotification(413, "body_too_large", f"limit is {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidNotification(400, "invalid_json", "body is not a JSON document") from None
    except RecursionError:  # deeply nested arrays/objects: the decoder gives up, so do we
        raise InvalidNotification(400, "invalid_json", "body is nested too deeply") from None
    if not isinstance(data, dict):
        raise InvalidNotification(400, "invalid_shape", "body must be a JSON object")
    for field in ("topic", "resource", "user_id", "application_id"):
        if data.get(field) in (None, ""):
            raise InvalidNotification(400, "missing_field", field)
    topic, resource = data["topic"], data["resource"]
    if not isinstance(topic, str) or not _TOPIC.fullmatch(topic):
        raise InvalidNotification(400, "invalid_field", "topic")
    if not isinstance(resource, str) or len(resource) > 256:
        raise InvalidNotification(400, "invalid_field", "resource")
    user_id = _as_int(data["user_id"], "user_id")
    application_id = _as_int(data["application_id"], "application_id")
    if application_id != app_id:
        raise InvalidNotification(403, "foreign_application", "application_id is not this app")
    notification_id = data.get("_id", data.get("id"))
    if notification_id is not None and (not isinstance(notification_id, str) or len(notification_id) > 100):
        raise InvalidNotification(400, "invalid_field", "_id")
    attempts = data.get("attempts", 1)
    attempts = attempts if isinstance(attempts, int) and not isinstance(attempts, bool) else 1
    sent = data.get("sent") if isinstance(data.get("sent"), str) else None
    note = Notification(topic, resource, user_id, application_id, notification_id, attempts, sent)
    if topic == "messages" and not _MESSAGE_ID.fullmatch(resource):
        raise InvalidNotification(400, "invalid_field", "resource is not a message id")
    if topic == "post_purchase" and note.claim_id is None:
        raise InvalidNotification(400, "invalid_field", "resource is not a claim")
    return note
