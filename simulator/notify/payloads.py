"""Notification payloads in the shape Mercado Libre POSTs to a callback URL (reference §1.2-§1.3).

A notification is created once (fixing its id, `resource` and `received`) and re-rendered for
each delivery attempt, because production resends the same `_id` with `attempts` incremented and a
new `sent` stamp. Keeping the event separate from its rendering makes duplicates and retries exact.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.constants import APP_ID, SELLER_ID
from simulator.sites import utc_now, utc_z


@dataclass(frozen=True)
class Notification:
    """One event for the seller's application, independent of how often it is delivered."""

    topic: str
    resource: str
    actions: tuple[str, ...] = ()
    user_id: Any = SELLER_ID
    application_id: Any = APP_ID
    note_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    received: datetime = field(default_factory=utc_now)

    def body(self, attempt: int, sent: datetime, id_key: str = "_id") -> dict[str, Any]:
        """The JSON POSTed on `attempt` (1-based); `actions` only for sub-topic models."""
        body: dict[str, Any] = {id_key: self.note_id, "resource": self.resource, "user_id": self.user_id,
                                "topic": self.topic}
        if self.actions:
            body["actions"] = list(self.actions)
        body.update(application_id=self.application_id, attempts=attempt, sent=utc_z(sent),
                    received=utc_z(self.received))
        return body


def message_created(message_id: str, seller_id: int = SELLER_ID) -> Notification:
    """`messages` / `created`: the resource is the bare message id (GET /messages/{id}); the
    notification goes to the seller's user_id (one app receives every authorizing seller's)."""
    return Notification(topic="messages", resource=message_id, actions=("created",), user_id=seller_id)


def claim_changed(claim_id: int, action: str = "claims") -> Notification:
    """`post_purchase` with the `/post-purchase` prefix the current API sends (reference §1.2)."""
    return Notification(topic="post_purchase", resource=f"/post-purchase/v1/claims/{claim_id}", actions=(action,))


class PayloadError(ValueError):
    """A `/_sim/notify` body that cannot become a notification."""


def _optional_id(body: dict[str, Any], key: str, default: Any) -> Any:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PayloadError(f"'{key}' must be a number or a string")
    return value


def arbitrary(body: Any) -> Notification:
    """`{"topic", "resource", "actions"?, "user_id"?, "application_id"?}` from `POST /_sim/notify`.

    `user_id` and `application_id` can be overridden so a bot's "not my app / not my seller" checks
    (reference §1.6) can be exercised.
    """
    if not isinstance(body, dict):
        raise PayloadError("a JSON object with 'topic' and 'resource' is required")
    topic, resource, actions = body.get("topic"), body.get("resource"), body.get("actions", [])
    if not isinstance(topic, str) or not topic or not isinstance(resource, str) or not resource:
        raise PayloadError("'topic' and 'resource' must be non-empty strings")
    if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
        raise PayloadError("'actions' must be a list of strings")
    return Notification(topic=topic, resource=resource, actions=tuple(actions),
                        user_id=_optional_id(body, "user_id", SELLER_ID),
                        application_id=_optional_id(body, "application_id", APP_ID))
