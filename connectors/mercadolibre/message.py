"""One post-sale message, read from either of the API's two response formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class IncomingMessage:
    id: str
    pack_id: str | None
    from_user_id: int | None
    to_user_id: int | None
    text: str
    status: str
    site_id: str | None
    date: str | None
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def attachment_only(self) -> bool:
        return not self.text.strip() and bool(self.attachments)


def _user(value: Any) -> int | None:
    try:
        return int((value or {}).get("user_id"))
    except (TypeError, ValueError):
        return None


def parse_message(body: dict[str, Any]) -> IncomingMessage:
    """New format: {"messages": [{...message_resources...}]}; legacy: {"message_id", "text": {"plain"}}."""
    if isinstance(body.get("messages"), list) and body["messages"]:
        msg = body["messages"][0]
        resources = {r.get("name"): str(r.get("id")) for r in msg.get("message_resources") or []}
        dates = msg.get("message_date") or {}
        return IncomingMessage(
            id=str(msg.get("id")),
            pack_id=resources.get("packs"),
            from_user_id=_user(msg.get("from")),
            to_user_id=_user(msg.get("to")),
            text=str(msg.get("text") or ""),
            status=str(msg.get("status") or ""),
            site_id=msg.get("site_id"),
            date=dates.get("created") or dates.get("received"),
            attachments=list(msg.get("message_attachments") or []),
        )
    text = body.get("text")
    if isinstance(text, dict):
        text = text.get("plain")
    return IncomingMessage(
        id=str(body.get("message_id") or body.get("id")),
        pack_id=str(body["resource_id"]) if body.get("resource_id") else None,
        from_user_id=_user(body.get("from")),
        to_user_id=_user(body.get("to")),
        text=str(text or ""),
        status=str(body.get("status") or "").lower(),
        site_id=body.get("site_id"),
        date=body.get("date_created") or body.get("date"),
        attachments=[a for a in body.get("attachments") or [] if a],
    )
