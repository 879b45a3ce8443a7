"""Post-sale conversations and message bodies (reference §2.2-§2.4).

Messages are stored in the "new" format of `GET /messages/packs/...`; the legacy single-message
format of `GET /messages/{id}` is derived from it, so both views always agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.constants import MARKETPLACE_CLIENT_ID, SELLER_ID
from simulator.scenarios.specs import ScenarioSpec
from simulator.sites import days, utc_z


@dataclass
class Conversation:
    """One pack's thread (or an order's, when the sale has no pack)."""

    conversation_id: int
    site_id: str
    buyer_id: int
    buyer_nickname: str
    order_ids: tuple[int, ...]
    has_pack: bool
    status: dict[str, Any]
    messages: list[dict[str, Any]] = field(default_factory=list)
    seller_id: int = SELLER_ID

    @property
    def blocked(self) -> bool:
        return self.status["status"] == "blocked"


def seeded_message_id(conversation_id: int, index: int) -> str:
    """Stable 32-hex ids for seeded messages, so tests can refer to them across resets."""
    return hashlib.md5(f"sim-message-{conversation_id}-{index}".encode()).hexdigest()


def clean_moderation(when: datetime) -> dict[str, Any]:
    return {"status": "clean", "reason": None, "source": "online", "moderation_date": utc_z(when)}


def rejected_moderation(reason: str, when: datetime) -> dict[str, Any]:
    return {"status": "rejected", "reason": reason, "source": "online", "moderation_date": utc_z(when)}


def message_json(conv: Conversation, *, message_id: str, sender: int, receiver: int, text: str,
                 when: datetime, client_id: int, moderation: dict[str, Any]) -> dict[str, Any]:
    """A message in the §2.2 list format."""
    stamp = utc_z(when)
    moderated = moderation["status"] == "rejected"
    return {
        "id": message_id, "site_id": conv.site_id, "client_id": client_id,
        "from": {"user_id": sender}, "to": {"user_id": receiver},
        "status": "moderated" if moderated else "available", "subject": None, "text": text,
        "message_date": {"received": stamp, "available": None if moderated else stamp,
                         "notified": None if moderated else stamp, "created": stamp, "read": None},
        "message_moderation": moderation, "message_attachments": None,
        "message_resources": [{"id": str(conv.conversation_id), "name": "packs"},
                              {"id": str(conv.seller_id), "name": "sellers"}],
        "conversation_first_message": not conv.messages,
    }


def legacy_message_json(conv: Conversation, msg: dict[str, Any]) -> dict[str, Any]:
    """The §2.3 "without header" body of `GET /messages/{id}`."""
    dates = msg["message_date"]
    mod = msg["message_moderation"]
    return {
        "message_id": msg["id"], "date_received": dates["received"], "date": dates["created"],
        "date_available": dates["available"], "date_notified": dates["notified"], "date_read": dates["read"],
        "from": dict(msg["from"]), "to": dict(msg["to"]), "subject": msg["subject"],
        "text": {"plain": msg["text"]}, "attachments": [],
        "attachments_validations": {"invalid_size": [], "invalid_extension": [], "forbidden": [],
                                    "internal_error": []},
        "site_id": msg["site_id"], "resource": "packs" if conv.has_pack else "orders",
        "resource_id": str(conv.conversation_id), "status": msg["status"],
        "moderation": {"status": mod["status"], "date_moderated": mod["moderation_date"], "source": mod["source"]},
    }


def _status_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    blocked = spec.conversation_substatus is not None
    changed = spec.cancel.at if spec.cancel else spec.created_at
    return {
        "path": f"/packs/{spec.conversation_id}/seller/{spec.seller_id}",
        "status": "blocked" if blocked else "active", "substatus": spec.conversation_substatus,
        "status_date": utc_z(now + days(changed if blocked else spec.created_at)),
        "status_update_allowed": False,
        "claim_id": spec.claim.claim_id if spec.claim else None, "shipping_id": None,
    }


def _buyer_message_time(spec: ScenarioSpec) -> float:
    """Before a cancellation (messaging closes then), otherwise shortly before "now"."""
    if spec.cancel:
        return (spec.created_at + spec.cancel.at) / 2
    return max(spec.created_at + 0.05, -0.2)


def conversation_for(spec: ScenarioSpec, now: datetime) -> Conversation:
    """The seeded thread: the buyer's opening question, unread by the seller."""
    conv = Conversation(spec.conversation_id, spec.site_id, spec.buyer_id, spec.buyer_nickname,
                        tuple(i.order_id for i in spec.items), spec.pack_id is not None, _status_json(spec, now),
                        seller_id=spec.seller_id)
    if spec.buyer_message:
        when = now + days(_buyer_message_time(spec))
        conv.messages.append(message_json(
            conv, message_id=seeded_message_id(conv.conversation_id, 0), sender=spec.buyer_id,
            receiver=spec.seller_id, text=spec.buyer_message, when=when, client_id=MARKETPLACE_CLIENT_ID,
            moderation=clean_moderation(when)))
    return conv
