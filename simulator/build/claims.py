"""Claim, claim detail and return bodies (`/post-purchase/v1/claims/...`, `/post-purchase/v2/
claims/{id}/returns`), reference §6. An open claim is the bot's main escalation trigger, so its
players, mandatory actions and due dates are reproduced in full."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from simulator.build.addresses import shipping_address
from simulator.scenarios.specs import ClaimSpec, ScenarioSpec
from simulator.sites import SITES, days, local_iso


def _claim(spec: ScenarioSpec) -> ClaimSpec:
    assert spec.claim is not None
    return spec.claim


def _iso(spec: ScenarioSpec, now: datetime, offset: float) -> str:
    return local_iso(now + days(offset), SITES[spec.site_id])


def _seller_actions(spec: ScenarioSpec, now: datetime) -> list[dict[str, Any]]:
    claim = _claim(spec)
    due = _iso(spec, now, claim.due_at)
    return [{"action": name, "mandatory": mandatory, "due_date": due if mandatory else None}
            for name, mandatory in claim.seller_actions]


def claim_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """`GET /post-purchase/v1/claims/{id}` for an opened claim in stage `claim`."""
    claim = _claim(spec)
    last = claim.returned.at if claim.returned else claim.opened_at
    return {
        "id": claim.claim_id, "resource_id": spec.items[0].order_id, "status": "opened",
        "type": "mediations", "stage": "claim", "parent_id": None, "resource": "order",
        "reason_id": claim.reason_id, "fulfilled": True, "quantity_type": "total",
        "claimed_quantity": spec.items[0].quantity, "claim_version": 2.0,
        "players": [
            {"role": "complainant", "type": "buyer", "user_id": spec.buyer_id, "available_actions": []},
            {"role": "respondent", "type": "seller", "user_id": spec.seller_id,
             "available_actions": _seller_actions(spec, now)},
        ],
        "resolution": None, "site_id": spec.site_id,
        "date_created": _iso(spec, now, claim.opened_at), "last_updated": _iso(spec, now, last),
        "related_entities": ["return"] if claim.returned else [],
    }


def detail_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """`GET /post-purchase/v1/claims/{id}/detail`: the human-readable summary for an agent ticket."""
    claim = _claim(spec)
    return {"due_date": _iso(spec, now, claim.due_at), "action_responsible": claim.action_responsible,
            "title": claim.title, "description": claim.description, "problem": claim.problem}


def affects_reputation_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """`GET /post-purchase/v1/claims/{id}/affects-reputation`."""
    claim = _claim(spec)
    incentive = claim.returned is None
    return {"affects_reputation": "affected" if incentive else "not_affected", "has_incentive": incentive,
            "due_date": _iso(spec, now, claim.opened_at + 2) if incentive else None}


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


def claim_views(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """All claim sub-resources of a scenario (return is None when there is no return)."""
    return {
        "claim": claim_json(spec, now),
        "detail": detail_json(spec, now),
        "affects_reputation": affects_reputation_json(spec, now),
        "returns": return_json(spec, now),
    }
