"""Shipment bodies: `/shipments/{id}` (x-format-new), `/lead_time`, `/carrier`, `/history`,
`/delays` and `/sla`, following reference §4. The promise dates are derived from "now" so a
late parcel is late whenever the suite runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from simulator.build.addresses import shipping_address
from simulator.scenarios.specs import ScenarioSpec, ShipmentSpec
from simulator.sites import SITES, days, local_iso

_METHODS: dict[str, dict[str, Any]] = {
    "MLB": {"id": 182, "name": "Normal", "type": "standard", "deliver_to": "address"},
    "MLA": {"id": 503045, "name": "Estándar a domicilio", "type": "standard", "deliver_to": "address"},
    "MLM": {"id": 501245, "name": "Estándar", "type": "standard", "deliver_to": "address"},
}


def _iso(spec: ScenarioSpec, now: datetime, offset: float | None) -> str | None:
    return None if offset is None else local_iso(now + days(offset), SITES[spec.site_id])


def _ship(spec: ScenarioSpec) -> ShipmentSpec:
    assert spec.shipment is not None
    return spec.shipment


def lead_time_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """The delivery promise block (also served alone by `/shipments/{id}/lead_time`)."""
    ship = _ship(spec)
    paid_at = spec.created_at + 0.01
    return {
        "option_id": ship.shipment_id * 10 + 1,
        "shipping_method": _METHODS[spec.site_id],
        "currency_id": SITES[spec.site_id].currency_id,
        "cost": ship.buyer_cost, "list_cost": ship.list_cost,
        "cost_type": "charged" if ship.buyer_cost else "free",
        "service_id": 22, "delivery_type": "estimated", "delivery_promise": "estimated",
        "estimated_delivery_time": {
            "type": "known_frame", "date": _iso(spec, now, ship.promise_at),
            "pay_before": _iso(spec, now, paid_at), "unit": "hour",
            "shipping": 72, "handling": 24,
            "offset": {"date": _iso(spec, now, ship.promise_at + 1), "shipping": 96},
            "time_frame": {"from": None, "to": None},
        },
        "estimated_delivery_limit": {"date": _iso(spec, now, ship.limit_at)},
        "estimated_delivery_final": {"date": _iso(spec, now, ship.limit_at + 20)},
        "estimated_delivery_extended": {"date": _iso(spec, now, ship.extended_at)},
        "estimated_schedule_limit": {"date": None},
    }


def shipment_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """`GET /shipments/{id}` with `x-format-new: true`."""
    ship = _ship(spec)
    last = ship.steps[-1]
    paid = spec.payment.status in ("approved", "refunded")
    return {
        "id": ship.shipment_id, "external_reference": None,
        "status": last.status, "substatus": last.substatus,
        "date_created": _iso(spec, now, spec.created_at), "last_updated": _iso(spec, now, last.at),
        "declared_value": sum(i.unit_price * i.quantity for i in spec.items),
        "dimensions": {"height": 12, "width": 20, "length": 30, "weight": 1200},
        "logistic": {"mode": "me2", "type": ship.logistic_type, "direction": "forward"},
        "source": {"site_id": spec.site_id, "market_place": "MELI", "customer_id": None, "application_id": None},
        "tracking_number": ship.tracking_number, "tracking_method": ship.carrier,
        "origin": {"type": "selling_address", "sender_id": spec.seller_id,
                   "shipping_address": shipping_address(spec.site_id, "seller"), "node": None},
        "destination": {"type": "buying_address", "receiver_id": spec.buyer_id,
                        "receiver_name": f"Comprador {spec.buyer_nickname.rsplit('_', 1)[-1]}",
                        "shipping_address": shipping_address(spec.site_id, "buyer") if paid else None,
                        "receiver_phone": None},
        "lead_time": lead_time_json(spec, now),
        "tags": ["delayed"] if ship.delayed else [],
        "items_types": ["new"],
        "sibling": {"sibling_id": None, "reason": None},
    }


def history_json(spec: ScenarioSpec, now: datetime) -> list[dict[str, Any]]:
    """`GET /shipments/{id}/history`: the status changes, oldest first."""
    return [{"status": s.status, "substatus": s.substatus, "date": _iso(spec, now, s.at)}
            for s in _ship(spec).steps]


def carrier_json(spec: ScenarioSpec) -> dict[str, Any] | None:
    """`GET /shipments/{id}/carrier`, or None before a carrier has the parcel."""
    ship = _ship(spec)
    if ship.carrier is None:
        return None
    return {"url": ship.tracking_url, "name": ship.carrier}


def delays_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any] | None:
    """`GET /shipments/{id}/delays`, or None when the shipment was never delayed."""
    ship = _ship(spec)
    if not ship.delayed:
        return None
    first = next(s for s in ship.steps if s.substatus == "delayed")
    return {"shipment_id": ship.shipment_id,
            "delays": [{"type": "handling_delayed", "date": _iso(spec, now, first.at), "source": "shipping-delays"}]}


def sla_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any] | None:
    """`GET /shipments/{id}/sla`; None for cancelled shipments (not available there)."""
    ship = _ship(spec)
    if ship.steps[-1].status == "cancelled":
        return None
    return {"status": "delayed" if ship.delayed else "on_time", "service": None,
            "expected_date": _iso(spec, now, spec.created_at + 2), "last_updated": _iso(spec, now, ship.steps[-1].at)}


def shipment_views(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """All shipment sub-resources of a scenario (None where the real API answers 404)."""
    return {
        "shipment": shipment_json(spec, now),
        "lead_time": lead_time_json(spec, now),
        "history": history_json(spec, now),
        "carrier": carrier_json(spec),
        "delays": delays_json(spec, now),
        "sla": sla_json(spec, now),
    }
