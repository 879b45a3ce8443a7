"""Claim, claim detail and return bodies (`/post-purchase/v1/claims/...`, `/post-purchase/v2/
claims/{id}/returns`), reference §6. An open claim is the bot's main escalation trigger, so its
players, mandatory actions and due dates are reproduced in full."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.build.addresses import shipping_address
from simulator.scenarios.specs import ClaimSpec, ScenarioSpec
from simulator.sites import SITES, days, local_iso

# What the seller must do in a dispute: answer the mediator, with evidence, by the due date.
DISPUTE_ACTIONS: tuple[tuple[str, bool], ...] = (("send_message_to_mediator", False), ("send_attachments", True))
MEDIATOR_ID = 1


@dataclass
class ClaimState:
    """A claim as it moves: stage, status, the seller's due date, its messages and files.
    `/_sim/claims/{id}/stage` moves it (and pushes the `post_purchase` notification)."""

    due: datetime
    incentive_until: datetime | None
    stage: str = "claim"
    status: str = "opened"
    resolution: dict[str, Any] | None = None
    last_updated: datetime | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # id -> (name, type, bytes)


def new_state(spec: ScenarioSpec, now: datetime) -> ClaimState:
    claim = _claim(spec)
    state = ClaimState(due=now + days(claim.due_at),
                       incentive_until=now + days(claim.opened_at + 2) if claim.returned is None else None)
    state.messages.append(claim_message_json(spec, "complainant", "respondent", claim.problem,
                                             now + days(claim.opened_at), "claim"))
    return state


def claim_message_json(spec: ScenarioSpec, sender: str, receiver: str, text: str, when: datetime, stage: str,
                       attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A claim message item (reference 6.4), `hash` unique."""
    stamp = local_iso(when, SITES[spec.site_id])
    digest = hashlib.sha1(f"{_claim(spec).claim_id}|{sender}|{stamp}|{text}".encode()).hexdigest()
    return {"sender_role": sender, "receiver_role": receiver, "message": text, "translated_message": None,
            "date_created": stamp, "message_date": {"created": stamp, "read": None}, "date_read": None,
            "attachments": attachments or [], "status": "available", "stage": stage,
            "message_moderation": {"status": "clean", "reason": None, "source": "online", "date_moderated": stamp},
            "repeated": False, "hash": digest}


def _claim(spec: ScenarioSpec) -> ClaimSpec:
    assert spec.claim is not None
    return spec.claim


def _iso(spec: ScenarioSpec, now: datetime, offset: float) -> str:
    return local_iso(now + days(offset), SITES[spec.site_id])


def _seller_actions(spec: ScenarioSpec, state: ClaimState) -> list[dict[str, Any]]:
    if state.status != "opened":
        return []
    actions = DISPUTE_ACTIONS if state.stage == "dispute" else _claim(spec).seller_actions
    due = local_iso(state.due, SITES[spec.site_id])
    return [{"action": name, "mandatory": mandatory, "due_date": due if mandatory else None}
            for name, mandatory in actions]


def claim_json(spec: ScenarioSpec, now: datetime, state: ClaimState | None = None) -> dict[str, Any]:
    """`GET /post-purchase/v1/claims/{id}` in the claim's current stage and status."""
    claim = _claim(spec)
    state = state or new_state(spec, now)
    last = state.last_updated or now + days(claim.returned.at if claim.returned else claim.opened_at)
    players = [
        {"role": "complainant", "type": "buyer", "user_id": spec.buyer_id, "available_actions": []},
        {"role": "respondent", "type": "seller", "user_id": spec.seller_id,
         "available_actions": _seller_actions(spec, state)},
    ]
    if state.stage == "dispute":
        players.append({"role": "mediator", "type": "internal", "user_id": MEDIATOR_ID, "available_actions": []})
    return {
        "id": claim.claim_id, "resource_id": spec.items[0].order_id, "status": state.status,
        "type": "mediations", "stage": state.stage, "parent_id": None, "resource": "order",
        "reason_id": claim.reason_id, "fulfilled": True, "quantity_type": "total",
        "claimed_quantity": spec.items[0].quantity, "claim_version": 2.0,
        "players": players, "resolution": state.resolution, "site_id": spec.site_id,
        "date_created": _iso(spec, now, claim.opened_at), "last_updated": local_iso(last, SITES[spec.site_id]),
        "related_entities": ["return"] if claim.returned else [],
    }


_DISPUTE_TEXT = {
    "pt": ("A Mercado Livre está mediando o caso", "Envie ao mediador as provas do envio e do estado do produto."),
    "es": ("Mercado Libre está mediando el caso", "Envía al mediador las pruebas del envío y del estado del producto."),
}


def detail_json(spec: ScenarioSpec, now: datetime, state: ClaimState | None = None) -> dict[str, Any]:
    """`GET /post-purchase/v1/claims/{id}/detail`: the human-readable summary for an agent ticket."""
    claim = _claim(spec)
    state = state or new_state(spec, now)
    title, description = claim.title, claim.description
    responsible: str | None = claim.action_responsible
    if state.stage == "dispute":
        title, description = _DISPUTE_TEXT["pt" if spec.site_id == "MLB" else "es"]
        responsible = "seller"
    if state.status == "closed":
        responsible = None
    return {"due_date": local_iso(state.due, SITES[spec.site_id]) if state.status == "opened" else None,
            "action_responsible": responsible, "title": title, "description": description, "problem": claim.problem}


def affects_reputation_json(spec: ScenarioSpec, now: datetime, state: ClaimState | None = None) -> dict[str, Any]:
    """`GET /post-purchase/v1/claims/{id}/affects-reputation`: a claim with its 48-hour incentive
    running does not count yet; a dispute does; a closed claim counts unless the seller won."""
    state = state or new_state(spec, now)
    if state.status == "closed":
        won = "respondent" in ((state.resolution or {}).get("benefited") or [])
        return {"affects_reputation": "not_affected" if won else "affected", "has_incentive": False, "due_date": None}
    if state.stage == "dispute":
        return {"affects_reputation": "affected", "has_incentive": False, "due_date": None}
    incentive = state.incentive_until is not None
    return {"affects_reputation": "affected" if incentive else "not_affected", "has_incentive": incentive,
            "due_date": local_iso(state.incentive_until, SITES[spec.site_id]) if state.incentive_until else None}


def return_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any] | None:
    """`GET /post-purchase/v2/claims/{id}/returns`, or None when the claim has no return."""
    claim = _claim(spec)
    ret = claim.returned
    if ret is None:
        return None
    item = spec.items[0]
    return {
        "id": ret.return_id, "claim_id": claim.claim_id, "resource_type": "order", "resource_id": item.order_id,
        "status": ret.status, "subtype": "return_total", "status_money": "retained", "refund_at": "delivered",
        "shipments": [{"shipment_id": ret.shipment_id, "status": ret.shipment_status,
                       "tracking_number": ret.tracking_number,
                       "destination": {"name": "seller_address",
                                       "shipping_address": shipping_address(spec.site_id, "seller")},
                       "type": "return"}],
        "orders": [{"order_id": item.order_id, "item_id": item.item_id, "context_type": "total",
                    "total_quantity": f"{float(item.quantity)}", "return_quantity": f"{float(item.quantity)}"}],
        "related_entities": [], "intermediate_check": False,
        "date_created": _iso(spec, now, claim.opened_at + 1), "date_closed": None,
        "last_updated": _iso(spec, now, ret.at),
    }


def claim_views(spec: ScenarioSpec, now: datetime, state: ClaimState | None = None) -> dict[str, Any]:
    """All claim sub-resources of a scenario (return is None when there is no return)."""
    state = state or new_state(spec, now)
    return {
        "claim": claim_json(spec, now, state),
        "detail": detail_json(spec, now, state),
        "affects_reputation": affects_reputation_json(spec, now, state),
        "returns": return_json(spec, now),
        "messages": list(state.messages),
    }


# `GET /post-purchase/v1/claims/reasons/{id}` for the seeded reasons (the prefix says the family:
# PNR not received, PDD different or defective, CS cancelled).
REASONS: dict[str, dict[str, Any]] = {
    "PDD9549": {"id": "PDD9549", "flow": "post_purchase", "name": "damaged_product",
                "detail": "Produto chegou danificado", "position": 1, "filter": {"group": ["pdd"]},
                "settings": {"rules_engine_triage": ["defective"],
                             "expected_resolutions": ["refund", "change_product", "return_product"]}},
    "PDD9939": {"id": "PDD9939", "flow": "post_purchase", "name": "repentant_buyer",
                "detail": "Comprador se arrependeu da compra", "position": 2, "filter": {"group": ["pdd"]},
                "settings": {"rules_engine_triage": ["repentant"],
                             "expected_resolutions": ["change_product", "return_product"]}},
    "PNR3430": {"id": "PNR3430", "flow": "post_purchase", "name": "not_received",
                "detail": "Produto não recebido", "position": 1, "filter": {"group": ["pnr"]},
                "settings": {"rules_engine_triage": [], "expected_resolutions": ["product", "refund"]}},
}
