"""Order, pack and fiscal-document bodies in the shape of `GET /orders/{id}`, `GET /packs/{id}`
and `GET /packs/{id}/fiscal_documents` (reference §3 and §5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from simulator.scenarios.specs import ItemSpec, ScenarioSpec
from simulator.sites import SITES, days, local_iso, local_iso_compact, utc_z_seconds

FEE_RATE = 0.14
PAYMENT_ID_BASE = 90000000000


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "user_type": None, "tags": [], "status": None, "buy_restrictions": []}


def _variations(item: ItemSpec) -> list[dict[str, Any]]:
    return [{"id": v.attr_id, "name": v.name, "value_id": v.value_id, "value_name": v.value_name}
            for v in item.variations]


def _order_item(spec: ScenarioSpec, item: ItemSpec) -> dict[str, Any]:
    currency = SITES[spec.site_id].currency_id
    return {
        "item": {"id": item.item_id, "title": item.title, "category_id": item.category_id,
                 "variation_id": item.variation_id, "seller_custom_field": None,
                 "variation_attributes": _variations(item), "warranty": item.warranty, "condition": "new",
                 "seller_sku": item.seller_sku, "user_product_id": f"{spec.site_id}U{item.item_id[3:]}"},
        "quantity": item.quantity, "unit_price": item.unit_price, "full_unit_price": item.full_unit_price,
        "currency_id": currency, "manufacturing_days": None,
        "sale_fee": round(item.unit_price * FEE_RATE, 2), "listing_type_id": "gold_special",
    }


def _total(item: ItemSpec) -> float:
    return round(item.unit_price * item.quantity, 2)


def _payment(spec: ScenarioSpec, item: ItemSpec, now: datetime) -> dict[str, Any]:
    site = SITES[spec.site_id]
    pay = spec.payment
    created = now + days(spec.created_at)
    amount = _total(item)
    shipping = spec.shipping_cost if item is spec.items[0] else 0.0
    approved = pay.status in ("approved", "refunded")
    refund_at = now + days(spec.cancel.at) if spec.cancel else created
    return {
        "id": PAYMENT_ID_BASE + item.order_id % 10**9, "order_id": item.order_id, "payer_id": spec.buyer_id,
        "collector": {"id": spec.seller_id}, "card_id": None, "site_id": spec.site_id, "reason": item.title,
        "payment_method_id": pay.method_id, "payment_type": pay.payment_type, "installments": pay.installments,
        "currency_id": site.currency_id, "operation_type": "regular_payment", "status": pay.status,
        "status_detail": pay.status_detail, "transaction_amount": amount,
        "transaction_amount_refunded": amount if pay.refunded else 0.0,
        "total_paid_amount": round(amount + shipping, 2), "shipping_cost": shipping,
        "date_approved": local_iso(created, site) if approved else None,
        "date_created": local_iso(created, site),
        "date_last_modified": local_iso(refund_at if pay.refunded else created, site),
        "marketplace_fee": round(amount * FEE_RATE, 2),
        "available_actions": ["refund"] if pay.status == "approved" else [],
    }


def _cancel_detail(spec: ScenarioSpec, now: datetime) -> dict[str, Any] | None:
    if spec.cancel is None:
        return None
    c = spec.cancel
    return {"group": c.group, "code": c.code, "description": c.description, "requested_by": c.requested_by,
            "date": local_iso(now + days(c.at), SITES[spec.site_id]), "application_id": None}


def _tags(spec: ScenarioSpec) -> list[str]:
    tags = ["pack_order"] if spec.pack_id is not None else []
    if spec.order_status == "paid":
        tags.append("paid")
    elif spec.order_status == "payment_required":
        tags.append("not_paid")
    return tags


def _last_updated(spec: ScenarioSpec, now: datetime) -> datetime:
    times = [spec.created_at]
    if spec.cancel:
        times.append(spec.cancel.at)
    if spec.shipment:
        times.append(spec.shipment.steps[-1].at)
    return now + days(max(times))


def order_json(spec: ScenarioSpec, item: ItemSpec, now: datetime) -> dict[str, Any]:
    """The full `GET /orders/{id}` body for one order of the scenario's sale."""
    site = SITES[spec.site_id]
    created = now + days(spec.created_at)
    paid = spec.payment.status in ("approved", "refunded")
    amount = _total(item)
    payment = _payment(spec, item, now)
    return {
        "id": item.order_id,
        "date_created": local_iso(created, site),
        "last_updated": local_iso(_last_updated(spec, now), site),
        "date_closed": local_iso(created + days(0.01), site) if paid else None,
        "pack_id": spec.pack_id, "fulfilled": None, "buying_mode": "buy_equals_pay",
        "shipping_cost": payment["shipping_cost"],
        "mediations": [{"id": spec.claim.claim_id}] if spec.claim and item is spec.items[0] else [],
        "total_amount": amount, "paid_amount": payment["total_paid_amount"] if paid else 0.0,
        "currency_id": site.currency_id,
        "order_items": [_order_item(spec, item)],
        "payments": [payment],
        "shipping": {"id": spec.shipment.shipment_id if spec.shipment else None},
        "status": spec.order_status, "status_detail": None, "tags": _tags(spec),
        "feedback": {"seller": None, "buyer": None},
        "context": {"channel": "marketplace", "site": spec.site_id, "flows": []},
        "seller": _user(spec.seller_id), "buyer": _user(spec.buyer_id),
        "taxes": {"amount": None, "currency_id": None, "id": None},
        "cancel_detail": _cancel_detail(spec, now),
        "manufacturing_ending_date": None,
        "order_request": {"change": None, "return": None},
    }


def _pack_status(spec: ScenarioSpec) -> str:
    return "cancelled" if spec.order_status == "cancelled" else "released"


def pack_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """The `GET /packs/{id}` body; only meaningful when the scenario has a pack."""
    site = SITES[spec.site_id]
    return {
        "shipment": {"id": spec.shipment.shipment_id if spec.shipment else None},
        "orders": [{"id": item.order_id} for item in spec.items],
        "id": spec.pack_id, "status": _pack_status(spec), "status_detail": None,
        "buyer": {"id": spec.buyer_id},
        "date_created": local_iso_compact(now + days(spec.created_at), site),
        "last_updated": local_iso_compact(_last_updated(spec, now), site),
    }


def _doc_id(spec: ScenarioSpec, kind: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"sim-fiscal-{spec.conversation_id}-{kind}"))


def fiscal_json(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """`GET /packs/{id}/fiscal_documents`: a PDF (plus the NF-e XML on MLB) uploaded after payment."""
    uploaded = utc_z_seconds(now + days(spec.created_at + 0.5))
    stem = "nota-fiscal" if spec.site_id == "MLB" else "factura"
    docs = [{"id": _doc_id(spec, "pdf"), "date": uploaded, "file_type": "application/pdf",
             "filename": f"{stem}-{spec.items[0].order_id}.pdf"}]
    if spec.site_id == "MLB":
        docs.append({"id": _doc_id(spec, "xml"), "date": uploaded, "file_type": "application/xml",
                     "filename": f"nfe-{spec.items[0].order_id}.xml"})
    return {"pack_id": spec.conversation_id, "fiscal_documents": docs}

