"""A claim as an agent's ticket shows it: the claim plus its sub-resources, read in parallel.

Used by the action server (a ticket made by a complaint) and the marketplace channel (every
`post_purchase` notification refreshes the ticket), so both show the same thing. A sub-resource
that fails is left out and logged: the ticket keeps the claim's stage and deadline, which come
from the claim itself, rather than losing the claim over a missing reason text.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from meli.client import MeliClient
from meli.errors import MeliError
from postsale.claim import claim_view

logger = logging.getLogger(__name__)
# Reason texts (`PDD9549` -> name, triage) do not change: read once per process.
_REASONS: dict[str, dict[str, Any]] = {}
MAX_REASONS = 500


async def _optional(what: str, call: Any) -> Any:
    try:
        return await call
    except (MeliError, ValueError) as err:
        logger.info("claim %s unavailable: %s", what, err)
        return None


async def _reason(client: MeliClient, reason_id: str | None) -> dict[str, Any] | None:
    if not reason_id:
        return None
    if reason_id not in _REASONS:
        found = await _optional(f"reason {reason_id}", client.get_claim_reason(reason_id))
        if not isinstance(found, dict):
            return None
        if len(_REASONS) >= MAX_REASONS:
            _REASONS.pop(next(iter(_REASONS)))
        _REASONS[reason_id] = found
    return _REASONS[reason_id]


async def read_claim(client: MeliClient, claim: dict[str, Any]) -> dict[str, Any]:
    """The ticket's view of `claim` (postsale.claim.claim_view) with detail, reputation, reason,
    return and messages."""
    claim_id = claim.get("id")
    has_return = "return" in (claim.get("related_entities") or [])
    detail, reputation, messages, reason, returned = await asyncio.gather(
        _optional("detail", client.get_claim_part(claim_id, "detail")),
        _optional("affects-reputation", client.get_claim_part(claim_id, "affects-reputation")),
        _optional("messages", client.get_claim_part(claim_id, "messages")),
        _reason(client, claim.get("reason_id")),
        _optional("return", client.get_returns(claim_id)) if has_return else asyncio.sleep(0),
    )
    if isinstance(returned, list):
        returned = returned[0] if returned else None
    return claim_view(claim, detail=detail if isinstance(detail, dict) else None,
                      reputation=reputation if isinstance(reputation, dict) else None, reason=reason,
                      returned=returned if isinstance(returned, dict) else None, messages=messages)
