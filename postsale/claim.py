"""What an agent needs to know of a Mercado Libre claim to act before the marketplace judges.

Mercado Libre gives one player at a time a mandatory action with a due date (reference §6.2);
when that player is the seller, missing the date costs reputation. So a ticket keeps, beside the
claim's identity, the seller's mandatory action and its due date as an instant (`due_at`), the
reputation verdict with its 48-hour incentive window (`incentive_until`), the return and the
claim's messages, and the queue sorts on those instants (postsale/tickets.py).

Pure functions over the API's JSON: meli/claims.py fetches, this module decides.
"""

from __future__ import annotations

from typing import Any

from postsale.dates import instant
from postsale.masking import mask

__all__ = ["instant"]  # re-exported: a claim's dates are read with it

SELLER_ROLES = ("respondent",)
# Stages in which the marketplace is already arbitrating: a person must act, and fast.
DISPUTE_STAGES = ("dispute",)
# Who the agent may write to in each stage (reference §6.4): the buyer only before a mediation.
RECEIVERS_BY_STAGE: dict[str, tuple[str, ...]] = {"claim": ("complainant",), "dispute": ("mediator",)}
MESSAGE_KEPT = 40  # claim messages kept in the ticket (newest)
MESSAGE_TEXT = 2000  # characters of one claim message kept


def seller_player(claim: dict[str, Any]) -> dict[str, Any]:
    return next((p for p in claim.get("players") or []
                 if p.get("role") in SELLER_ROLES or p.get("type") == "seller"), {})


def seller_actions(claim: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in seller_player(claim).get("available_actions") or [] if a.get("action")]


def mandatory_action(claim: dict[str, Any]) -> dict[str, Any] | None:
    """The seller's mandatory action with the nearest due date (only one player has one at a time)."""
    mandatory = [a for a in seller_actions(claim) if a.get("mandatory")]
    mandatory.sort(key=lambda a: instant(a.get("due_date")) or float("inf"))
    return mandatory[0] if mandatory else None


def receivers(claim: dict[str, Any]) -> list[str]:
    """Who the seller may write to now: what the stage allows and the seller's actions offer."""
    if claim.get("status") != "opened":
        return []
    offered = {a.get("action") for a in seller_actions(claim)}
    allowed = RECEIVERS_BY_STAGE.get(str(claim.get("stage")), ())
    return [role for role in allowed if f"send_message_to_{role}" in offered]


def claim_summary(claim: dict[str, Any]) -> dict[str, Any]:
    """The claim's identity, stage, and the seller's deadline: what a ticket needs at minimum."""
    action = mandatory_action(claim)
    resolution = claim.get("resolution") or None
    return {
        "id": claim.get("id"),
        "type": claim.get("type"),
        "stage": claim.get("stage"),
        "status": claim.get("status"),
        "reason_id": claim.get("reason_id"),
        "resource": claim.get("resource"),
        "resource_id": claim.get("resource_id"),
        "date_created": claim.get("date_created"),
        "site_id": claim.get("site_id"),
        "due_dates": [a.get("due_date") for a in seller_actions(claim) if a.get("due_date")],
        "seller_action": {"action": action.get("action"), "due_date": action.get("due_date")} if action else None,
        "due_at": instant(action.get("due_date")) if action else None,
        "actions": [a.get("action") for a in seller_actions(claim)],
        "receivers": receivers(claim),
        "resolution": {"reason": resolution.get("reason"), "benefited": list(resolution.get("benefited") or []),
                       "closed_by": resolution.get("closed_by"), "date": resolution.get("date_created")}
        if isinstance(resolution, dict) else None,
    }


def claim_message(item: dict[str, Any]) -> dict[str, Any]:
    """One claim message as the transcript shows it (personal data masked: it is stored)."""
    files = [a for a in item.get("attachments") or [] if isinstance(a, dict)]
    return {
        "from": item.get("sender_role"), "to": item.get("receiver_role"),
        "text": mask(str(item.get("message") or ""))[:MESSAGE_TEXT],
        "at": instant(item.get("date_created") or (item.get("message_date") or {}).get("created")),
        "status": item.get("status"), "stage": item.get("stage"), "hash": item.get("hash"),
        "attachments": [{"id": a.get("filename"), "name": a.get("original_filename") or a.get("filename"),
                         "type": a.get("type"), "size": a.get("size")} for a in files if a.get("filename")],
    }


def claim_messages(body: Any, keep: int | None = MESSAGE_KEPT) -> list[dict[str, Any]] | None:
    """`GET .../claims/{id}/messages` as the ticket shows it: oldest first, the newest `keep`
    (None: all). The API answers a list, or on some sites the list wrapped in `messages` or
    `data`; None when the answer holds no list at all (not read)."""
    if isinstance(body, dict):
        body = body.get("messages") or body.get("data") or []
    if not isinstance(body, list):
        return None
    shown = sorted((claim_message(m) for m in body if isinstance(m, dict)), key=lambda m: m["at"] or 0)
    return shown if keep is None else shown[-keep:]


def claim_view(claim: dict[str, Any], *, detail: dict[str, Any] | None = None,
               reputation: dict[str, Any] | None = None, reason: dict[str, Any] | None = None,
               returned: dict[str, Any] | None = None, messages: Any = None) -> dict[str, Any]:
    """Everything an agent sees of a claim, from the claim and its sub-resources (each optional:
    a sub-resource the API did not give is shown as unknown, never guessed)."""
    view = claim_summary(claim)
    if reason:
        view["reason"] = {"name": reason.get("name"), "detail": reason.get("detail"),
                          "triage": list(reason.get("rules_engine_triage") or []),
                          "expected_resolutions": list((reason.get("settings") or {}).get("expected_resolutions")
                                                       or [])}
    if detail:
        view["detail"] = {key: detail.get(key) for key in
                          ("title", "description", "problem", "action_responsible", "due_date")}
        # The seller's deadline, when the claim carries no mandatory action but the detail says
        # the seller is the one expected to act.
        if view["due_at"] is None and detail.get("action_responsible") == "seller" and claim.get("status") == "opened":
            view["due_at"] = instant(detail.get("due_date"))
    if reputation:
        incentive = bool(reputation.get("has_incentive"))
        view["reputation"] = {"affects": reputation.get("affects_reputation"), "has_incentive": incentive,
                              "due_date": reputation.get("due_date")}
        view["incentive_until"] = instant(reputation.get("due_date")) if incentive else None
    else:
        view["incentive_until"] = None
    if returned:
        shipment = next(iter(returned.get("shipments") or []), {})
        view["return"] = {"id": returned.get("id"), "status": returned.get("status"),
                          "status_money": returned.get("status_money"), "subtype": returned.get("subtype"),
                          "shipment_status": shipment.get("status"), "tracking_number": shipment.get("tracking_number")}
    shown = claim_messages(messages)
    if shown is not None:
        view["messages"] = shown
    return view


def in_dispute(view: dict[str, Any] | None) -> bool:
    return bool(view) and view.get("stage") in DISPUTE_STAGES and view.get("status") == "opened"


def seller_won(view: dict[str, Any] | None) -> bool:
    """A closed claim resolved in the seller's favour (the respondent benefited)."""
    resolution = (view or {}).get("resolution") or {}
    return "respondent" in (resolution.get("benefited") or [])


def urgency(view: dict[str, Any] | None, now: float, window_seconds: float) -> str | None:
    """How close the seller is to what the marketplace will judge: past_due, due_soon (within the
    window), incentive (the 48-hour no-impact window is running), or None."""
    if not view or view.get("status") != "opened":
        return None
    due = view.get("due_at")
    if due is not None and due <= now:
        return "past_due"
    if due is not None and due - now <= window_seconds:
        return "due_soon"
    incentive = view.get("incentive_until")
    if incentive is not None and incentive > now:
        return "incentive"
    return None


def claim_event(before: dict[str, Any] | None, after: dict[str, Any]) -> str | None:
    """What changed that an agent must be told: `dispute` (a mediator now judges), `closed`
    (with the resolution), or None."""
    before = before or {}
    if after.get("status") == "closed" and before.get("status") != "closed":
        return "closed"
    if in_dispute(after) and before.get("stage") not in DISPUTE_STAGES:
        return "dispute"
    return None
